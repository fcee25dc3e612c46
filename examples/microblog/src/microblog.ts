import { BaoDecoder, hash as blake3 } from '@lume/bao-stream'
import { parseEntry, registryKey, RegistryClient, RegistryMethods, serializeEntry, signEntry, type RegistryEntry } from '@lume/registry'
import { RpcConnection, type FramedStream } from '@lume/rpc'
import { ErrorCode, fromHex, LumeError, sign, toHex, type Closable, type KeyPair } from '@lume/types'
import { BLOB_CONTEXT, BLOB_K, BlobMethods } from './blobs.js'
import { checkProfile, decodeHead, decodePost, decodeRecord, encodeHead, encodePost, encodeRecord, type FeedRecord, type Post, type Profile, type StoredPost } from './post.js'

/** Verified blobs kept in memory (content-addressed: never stale), so a refresh does not fetch a feed again. */
const BLOB_CACHE_ENTRIES = 2048

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
  private readonly blobs = new Map<string, Uint8Array>()

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
   * Publish a post (or a reply/like): upload the signed post and the feed's
   * new record to every relay, then move the feed head to the record on every
   * relay. Resolves with the stored post and how many relays took it; fails
   * if none did.
   */
  async post (text: string, refs: { replyTo?: string, likes?: string } = {}): Promise<{ post: StoredPost, relays: number }> {
    const { entry, record } = await this.ownRecord()
    const post: Post = { v: 1, author: this.id, text, ts: Date.now(), prev: record.head, ...refs }
    const hash = toHex((await this.upload(encodePost(post, this.init.keyPair))).hash)
    const relays = await this.publish(entry, { ...record, head: hash })
    return { post: { ...post, hash }, relays }
  }

  /** Set this user's name and bio (a new feed record; the posts stay). Resolves with how many relays took it. */
  async setProfile (profile: Profile): Promise<number> {
    const checked = checkProfile(profile)
    const { entry, record } = await this.ownRecord()
    return await this.publish(entry, { ...record, profile: checked })
  }

  /** An author's profile, or null when they have not set one (or cannot be read). */
  async profile (author: string): Promise<Profile | null> {
    return (await this.record(fromHex(author, 32)))?.record.profile ?? null
  }

  /**
   * A post by its hash alone, verified: its bytes against the hash, its
   * author's signature over it. For the parent of a reply by someone not followed.
   */
  async getPost (hash: string): Promise<StoredPost> {
    return { ...decodePost(await this.blob(fromHex(hash, 32))), hash }
  }

  /**
   * The newest posts of everyone followed (and this user), newest first, up to
   * `limit` per author. Reads each feed from whichever relay answers.
   */
  async timeline (limit = 20): Promise<StoredPost[]> {
    const authors = [this.id, ...this.following]
    const feeds = await Promise.allSettled(authors.map(async (author) => await this.feed(author, limit)))
    // One unreadable feed leaves the others shown; none readable at all is an error, not an empty timeline.
    const failed = feeds.find((f) => f.status === 'rejected')
    if (failed !== undefined && feeds.every((f) => f.status === 'rejected')) throw failed.reason
    return feeds.flatMap((f) => f.status === 'fulfilled' ? f.value : []).sort((a, b) => b.ts - a.ts)
  }

  /** One author's posts, newest first, walking the chain from the feed head. */
  async feed (author: string, limit = 20): Promise<StoredPost[]> {
    const key = fromHex(author, 32)
    const posts: StoredPost[] = []
    let next = (await this.record(key))?.record.head ?? null
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
      const start = await this.record(key)
      let since = start?.entry.revision ?? -1
      let last = start?.record.head ?? null
      const relays = this.init.relays
      // Relays tried in a row without news; past them all, the watch fails loudly.
      for (let attempt = 0, misses = 0; !stopping.signal.aborted; attempt++) {
        const relay = relays[attempt % relays.length] as Uint8Array
        try {
          const client = new RegistryClient(await this.connection(relay))
          for await (const entry of client.subscribe(key, { since, signal: stopping.signal })) {
            misses = 0
            since = entry.revision
            const { head } = decodeRecord(await this.blob(decodeHead(entry.data)), key)
            // A new record without a new post (a profile change) is not news.
            if (head === null || head === last) continue
            last = head
            queue.push({ ...decodePost(await this.blob(fromHex(head, 32)), key), hash: head })
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

  /** The newest feed head of `key` and the record it points at, or null when there is none. */
  private async record (key: Uint8Array): Promise<{ entry: RegistryEntry, record: FeedRecord } | null> {
    const entry = await this.head(key)
    if (entry === null) return null
    return { entry, record: decodeRecord(await this.blob(decodeHead(entry.data)), key) }
  }

  /** This user's head and record (an empty record before the first write). */
  private async ownRecord (): Promise<{ entry: RegistryEntry | null, record: FeedRecord }> {
    const found = await this.record(this.init.keyPair.publicKey)
    return found ?? { entry: null, record: { v: 1, kind: 'feed', author: this.id, head: null, profile: null } }
  }

  /** Upload a blob to every relay, signed by this user: its hash and how many relays took it (a typed error when none did). */
  private async upload (content: Uint8Array): Promise<{ hash: Uint8Array, relays: number }> {
    const blake = blake3(content)
    const upload = { owner: this.init.keyPair.publicKey, content, signature: sign(BLOB_CONTEXT, blake, this.init.keyPair.secretKey) }
    const { ok, errors } = await this.onEach(async (conn) => await conn.call(BlobMethods.put, upload, this.opts()))
    if (ok === 0) throw errors.find(LumeError.isInstance) ?? new LumeError(ErrorCode.CONNECTION_FAILED, 'no relay could be reached')
    this.remember(toHex(blake), content)
    return { hash: blake, relays: ok }
  }

  /** Upload a new record and move the head to it on every relay: how many relays took the record. */
  private async publish (previous: RegistryEntry | null, record: FeedRecord): Promise<number> {
    const { hash, relays } = await this.upload(encodeRecord(record))
    const entry = signEntry(this.init.keyPair, (previous?.revision ?? -1) + 1, encodeHead(hash))
    await this.onEach(async (conn) => await conn.call(RegistryMethods.set, serializeEntry(entry), this.opts()))
    return relays
  }

  /** Keep a verified blob, dropping the oldest past the cache's size. */
  private remember (hash: string, content: Uint8Array): void {
    this.blobs.set(hash, content)
    if (this.blobs.size > BLOB_CACHE_ENTRIES) this.blobs.delete(this.blobs.keys().next().value as string)
  }

  /** The newest verified feed head of `key` across the relays that answer. */
  private async head (key: Uint8Array): Promise<RegistryEntry | null> {
    let best: RegistryEntry | null = null
    const { ok, errors } = await this.onEach(async (conn) => {
      const bytes = await conn.call(RegistryMethods.get, registryKey(key), this.opts())
      if (bytes === null) return
      const entry = parseEntry(bytes)
      if (best === null || entry.revision > best.revision) best = entry
    })
    // No relay answered: "no feed" would be a lie.
    if (ok === 0) throw errors.find(LumeError.isInstance) ?? new LumeError(ErrorCode.CONNECTION_FAILED, 'no relay could be reached')
    return best
  }

  /** A blob from the first relay that has it, verified (Bao) against its hash while it streams. */
  private async blob (hash: Uint8Array): Promise<Uint8Array> {
    const cached = this.blobs.get(toHex(hash))
    if (cached !== undefined) return cached
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
        this.remember(toHex(hash), out)
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
    await conn.ping({ timeoutMs: this.init.timeoutMs ?? 5000 }).catch((err: unknown) => {
      conn.destroy()
      this.connections.delete(id)
      // Transports fail in their own words (a DHT's PEER_NOT_FOUND, a socket's event): one typed error for all.
      throw LumeError.isInstance(err) ? err : new LumeError(ErrorCode.CONNECTION_FAILED, `cannot reach relay ${id.slice(0, 12)}…`, { cause: err })
    })
    return conn
  }

  private opts (): { timeoutMs: number } {
    return { timeoutMs: this.init.timeoutMs ?? 5000 }
  }
}
