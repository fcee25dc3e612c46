import { BaoDecoder, hash as blake3 } from '@lume/bao-stream'
import { parseEntry, registryKey, RegistryClient, RegistryMethods, serializeEntry, signEntry, type RegistryEntry } from '@lume/registry'
import { RpcConnection, type FramedStream } from '@lume/rpc'
import { ErrorCode, fromHex, LumeError, toHex, type Closable } from '@lume/types'
import { sign, type KeyPair } from '@lume/crypto'
import { BLOB_CONTEXT, BLOB_K, BlobMethods } from './blobs.js'
import { decodeHead, decodePost, encodeHead, encodePost, type Post, type StoredPost } from './post.js'

/** Opens streams to relays by key (a HyperDHT node). */
export interface Dialer {
  connect (publicKey: Uint8Array): FramedStream
}

/** Options for {@link Microblog}. */
export interface MicroblogInit {
  /** The user's key (posts and feed head are signed with it). */
  keyPair: KeyPair
  dialer: Dialer
  /** Relays to write to and read from. Writes go to all of them, so any one can be down. */
  relays: Uint8Array[]
  /** Per-call time limit. @default 5000 */
  timeoutMs?: number
}

/**
 * A user of the microblog. Posts are content-addressed blobs (BLAKE3), each
 * pointing at the previous one; the feed head — the newest post's hash — is a
 * registry entry under the user's key. Every write goes to every relay, and
 * every read is verified, so no relay is trusted and any one can be down.
 */
export class Microblog implements Closable {
  readonly following = new Set<string>()
  private readonly connections = new Map<string, RpcConnection>()

  constructor (private readonly init: MicroblogInit) {}

  /** This user's public key, hex. */
  get id (): string {
    return toHex(this.init.keyPair.publicKey)
  }

  follow (author: string): void {
    fromHex(author, 32)
    this.following.add(author)
  }

  unfollow (author: string): void {
    this.following.delete(author)
  }

  /**
   * Publish a post (or a reply/like): upload the blob to every relay, then
   * move the feed head to it on every relay. Resolves with the stored post and
   * how many relays took it; fails if none did.
   */
  async post (text: string, refs: { replyTo?: string, likes?: string } = {}): Promise<{ post: StoredPost, relays: number }> {
    const head = await this.head(this.init.keyPair.publicKey)
    const post: Post = { v: 1, author: this.id, text, ts: Date.now(), prev: head === null ? null : toHex(decodeHead(head.data)), ...refs }
    const content = encodePost(post)
    const blake = blake3(content)
    const upload = { owner: this.init.keyPair.publicKey, content, signature: sign(BLOB_CONTEXT, blake, this.init.keyPair.secretKey) }
    const { ok: stored, errors } = await this.onEach(async (conn) => await conn.call(BlobMethods.put, upload, this.opts()))
    if (stored === 0) throw errors.find(LumeError.isInstance) ?? new LumeError(ErrorCode.CONNECTION_FAILED, 'no relay took the post')
    const entry = signEntry(this.init.keyPair, (head?.revision ?? -1) + 1, encodeHead(blake))
    await this.onEach(async (conn) => await conn.call(RegistryMethods.set, serializeEntry(entry), this.opts()))
    return { post: { ...post, hash: toHex(blake) }, relays: stored }
  }

  /**
   * The newest posts of everyone followed (and this user), newest first, up to
   * `limit` per author. Reads each feed from whichever relay answers.
   */
  async timeline (limit = 20): Promise<StoredPost[]> {
    const authors = [this.id, ...this.following]
    const feeds = await Promise.all(authors.map(async (author) => await this.feed(author, limit).catch(() => [] as StoredPost[])))
    return feeds.flat().sort((a, b) => b.ts - a.ts)
  }

  /** One author's posts, newest first, walking the chain from the feed head. */
  async feed (author: string, limit = 20): Promise<StoredPost[]> {
    const key = fromHex(author, 32)
    const head = await this.head(key)
    const posts: StoredPost[] = []
    let next: string | null = head === null ? null : toHex(decodeHead(head.data))
    while (next !== null && posts.length < limit) {
      const post = decodePost(await this.blob(fromHex(next, 32)), key)
      posts.push({ ...post, hash: next })
      next = post.prev
    }
    return posts
  }

  /**
   * New posts of the people followed, as they are published. Each author is
   * followed on one relay; when that subscription is lost the next relay takes
   * over from the last revision seen. When every relay has failed in a row,
   * or a post cannot be read, the generator throws (naming the author)
   * instead of going quiet.
   */
  async * watch (): AsyncGenerator<StoredPost> {
    const queue: StoredPost[] = []
    const waiter: { wake: (() => void) | null } = { wake: null }
    const stopping = new AbortController()
    let failed: LumeError | null = null
    const follow = async (author: string): Promise<void> => {
      const key = fromHex(author, 32)
      let since = (await this.head(key))?.revision ?? -1
      const relays = this.init.relays
      // Relays tried in a row without news; past them all, the watch fails loudly.
      for (let attempt = 0, misses = 0; !stopping.signal.aborted; attempt++) {
        const relay = relays[attempt % relays.length] as Uint8Array
        try {
          const client = new RegistryClient(await this.connection(relay))
          for await (const entry of client.subscribe(key, { since, signal: stopping.signal })) {
            misses = 0
            since = entry.revision
            const hash = toHex(decodeHead(entry.data))
            queue.push({ ...decodePost(await this.blob(fromHex(hash, 32)), key), hash })
            waiter.wake?.()
          }
        } catch (err) {
          if (stopping.signal.aborted) return
          if (++misses >= relays.length) throw err
        }
      }
    }
    const followers = [...this.following].map(async (author) => await follow(author).catch((err: unknown) => {
      if (stopping.signal.aborted || failed !== null) return
      const code = LumeError.isInstance(err) ? err.code : ErrorCode.REMOTE_ERROR
      failed = new LumeError(code, `watching ${author.slice(0, 12)}… failed: ${(err as Error)?.message ?? String(err)}`, { cause: err })
      waiter.wake?.()
    }))
    try {
      for (;;) {
        while (queue.length > 0) yield queue.shift() as StoredPost
        if (failed !== null) throw failed
        await new Promise<void>((resolve) => { waiter.wake = resolve })
      }
    } finally {
      stopping.abort()
      await Promise.all(followers)
    }
  }

  async close (): Promise<void> {
    for (const conn of this.connections.values()) conn.destroy()
    this.connections.clear()
  }

  /** The newest verified feed head of `key` across the relays that answer. */
  private async head (key: Uint8Array): Promise<RegistryEntry | null> {
    let best: RegistryEntry | null = null
    await this.onEach(async (conn) => {
      const bytes = await conn.call(RegistryMethods.get, registryKey(key), this.opts())
      if (bytes === null) return
      const entry = parseEntry(bytes)
      if (best === null || entry.revision > best.revision) best = entry
    })
    return best
  }

  /** A blob from the first relay that has it, verified (Bao) against its hash while it streams. */
  private async blob (hash: Uint8Array): Promise<Uint8Array> {
    for (const relay of this.init.relays) {
      try {
        const conn = await this.connection(relay)
        const decoder = new BaoDecoder(hash, { k: BLOB_K })
        const parts: Uint8Array[] = []
        for await (const piece of conn.callStream(BlobMethods.get, hash, this.opts())) {
          parts.push(...decoder.push(piece))
          if (decoder.error !== null) throw decoder.error
        }
        decoder.finish()
        const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
        let at = 0
        for (const p of parts) { out.set(p, at); at += p.byteLength }
        return out
      } catch {}
    }
    throw new LumeError(ErrorCode.NOT_FOUND, `no relay could give blob ${toHex(hash).slice(0, 12)}…`)
  }

  /** Run `fn` on every relay that can be reached: how many succeeded, and why the others did not. */
  private async onEach (fn: (conn: RpcConnection) => Promise<unknown>): Promise<{ ok: number, errors: unknown[] }> {
    const results = await Promise.allSettled(this.init.relays.map(async (relay) => await fn(await this.connection(relay))))
    return {
      ok: results.filter((r) => r.status === 'fulfilled').length,
      errors: results.flatMap((r) => r.status === 'rejected' ? [r.reason as unknown] : [])
    }
  }

  private async connection (relay: Uint8Array): Promise<RpcConnection> {
    const id = toHex(relay)
    const open = this.connections.get(id)
    if (open !== undefined && !open.closed) return open
    const conn = RpcConnection.open(this.init.dialer.connect(relay), { limits: { callTimeoutMs: this.init.timeoutMs ?? 5000 } })
    this.connections.set(id, conn)
    await conn.ping({ timeoutMs: this.init.timeoutMs ?? 5000 }).catch((err: unknown) => { conn.destroy(); this.connections.delete(id); throw err })
    return conn
  }

  private opts (): { timeoutMs: number } {
    return { timeoutMs: this.init.timeoutMs ?? 5000 }
  }
}
