import { BlobClient } from '@lume/blobs'
import { parseEntry, registryKey, RegistryClient, RegistryMethods, serializeEntry, signEntry, type RegistryEntry } from '@lume/registry'
import type { RpcConnection } from '@lume/rpc'
import { RelayPool, type Dialer } from '@lume/rpc-client'
import { ErrorCode, fromHex, LumeError, toHex, type Closable } from '@lume/types'
import { type KeyPair } from '@lume/crypto'
import { checkProfile, MAX_POST_BYTES, decodeHead, decodePost, decodeRecord, encodeHead, encodePost, encodeRecord, type FeedRecord, type Post, type Profile, type StoredPost } from './post.js'
import { openKey, sealKey } from './private.js'

/** How far ahead of this machine's clock a post may be dated and still be shown (clocks differ a little). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000

/** Verified blobs kept in memory (content-addressed: never stale), so a refresh does not fetch a feed again. */
const BLOB_CACHE_ENTRIES = 2048

export type { Dialer }

/** What a post answers, and who may read it. */
export interface PostOptions {
  /** The post this one replies to (hash, hex). */
  replyTo?: string
  /** The post this one likes (hash, hex). */
  likes?: string
  /**
   * Readers' public keys (hex): the post is private, its body an encrypted
   * blob only they (and its author) can open. Lume has no follower list
   * (following is reading, and nobody is told), so an app picks the readers,
   * e.g. the people its user follows.
   */
  readers?: readonly string[]
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
 * A user of the microblog. Posts are signed, content-addressed blobs
 * (`@lume/blobs`), each pointing at the previous one; the feed head is a
 * registry entry under the user's key naming the feed record (newest post,
 * profile). Every write goes to every relay, and every read is verified, so
 * no relay is trusted and any one can be down.
 */
export class Microblog implements Closable {
  readonly following = new Set<string>()
  private readonly blobs = new Map<string, Uint8Array>()
  private readonly pool: RelayPool
  private readonly store: BlobClient

  constructor (private readonly init: MicroblogInit) {
    const timeoutMs = init.timeoutMs ?? 5000
    this.pool = new RelayPool({ dialer: init.dialer, relays: init.relays, connectTimeoutMs: timeoutMs, callTimeoutMs: timeoutMs })
    this.store = new BlobClient({ pool: this.pool, relays: init.relays, stallMs: timeoutMs })
  }

  /** This user's public key, hex. */
  get id (): string {
    return toHex(this.init.keyPair.publicKey)
  }

  /** Follow a key (hex): its posts join the timeline and `watch`. */
  follow (author: string): void {
    fromHex(author, 32)
    this.following.add(author.toLowerCase())
  }

  /** Stop following a key. */
  unfollow (author: string): void {
    this.following.delete(author.toLowerCase())
  }

  /**
   * Publish a post (or a reply/like): upload the signed post and the feed's
   * new record to every relay, then move the feed head to the record on every
   * relay. Resolves with the stored post and how many relays took it; fails
   * if none did.
   */
  async post (text: string, options: PostOptions = {}): Promise<{ post: StoredPost, relays: number }> {
    const { readers, ...refs } = options
    const { entry, record } = await this.ownRecord()
    const base = { v: 1 as const, author: this.id, ts: Date.now(), prev: record.head, ...refs }
    let post: Post
    if (readers === undefined) post = { ...base, text }
    else {
      // The body goes up encrypted under a fresh key; the post carries that key sealed to each reader (and the author).
      const plain = new TextEncoder().encode(text)
      if (plain.byteLength > MAX_POST_BYTES) throw LumeError.tooLarge('post', plain.byteLength, MAX_POST_BYTES)
      const body = await this.uploadSealed(plain)
      post = { ...base, text: '', private: sealKey(body.key, this.init.keyPair, [this.id, ...readers], toHex(body.hash)) }
    }
    const hash = toHex((await this.upload(encodePost(post, this.init.keyPair))).hash)
    const relays = await this.publish(entry, { ...record, head: hash })
    return { post: { ...post, hash, ...(readers === undefined ? {} : { text, sealed: 'opened' as const }) }, relays }
  }

  /** Set this user's name and bio (a new feed record; the posts stay). Resolves with how many relays took it. */
  async setProfile (profile: Profile): Promise<number> {
    const checked = checkProfile(profile)
    const { entry, record } = await this.ownRecord()
    return await this.publish(entry, { ...record, profile: checked })
  }

  /** An author's profile, or null when they have not set one; `CONNECTION_FAILED` when no relay answers. */
  async profile (author: string): Promise<Profile | null> {
    return (await this.record(fromHex(author, 32)))?.record.profile ?? null
  }

  /**
   * A post by its hash alone, verified: its bytes against the hash, its
   * author's signature over it. For the parent of a reply by someone not followed.
   */
  async getPost (hash: string): Promise<StoredPost> {
    return await this.open(decodePost(await this.blob(fromHex(hash, 32))), hash)
  }

  /**
   * The newest posts of everyone followed (and this user), newest first, up to
   * `limit` per author. Reads each feed from whichever relay answers. A post
   * dated more than {@link MAX_CLOCK_SKEW_MS} ahead is left out until its time
   * comes: an author's clock is their word, and a post dated tomorrow would
   * otherwise sit at the top of every follower's timeline.
   */
  async timeline (limit = 20): Promise<StoredPost[]> {
    const authors = [this.id, ...this.following]
    const feeds = await Promise.allSettled(authors.map(async (author) => await this.feed(author, limit)))
    // One unreadable feed leaves the others shown; none readable at all is an error, not an empty timeline.
    const failed = feeds.find((f) => f.status === 'rejected')
    if (failed !== undefined && feeds.every((f) => f.status === 'rejected')) throw failed.reason
    const latest = Date.now() + MAX_CLOCK_SKEW_MS
    return feeds.flatMap((f) => f.status === 'fulfilled' ? f.value : []).filter((p) => p.ts <= latest).sort((a, b) => b.ts - a.ts)
  }

  /** One author's posts, newest first, walking the chain from the feed head. */
  async feed (author: string, limit = 20): Promise<StoredPost[]> {
    const key = fromHex(author, 32)
    const posts: StoredPost[] = []
    let next = (await this.record(key))?.record.head ?? null
    while (next !== null && posts.length < limit) {
      const post = decodePost(await this.blob(fromHex(next, 32)), key)
      posts.push(await this.open(post, next))
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
          const client = new RegistryClient(await this.pool.connect(relay))
          for await (const entry of client.subscribe(key, { since, signal: stopping.signal })) {
            misses = 0
            since = entry.revision
            const { head } = decodeRecord(await this.blob(decodeHead(entry.data)), key)
            // A new record without a new post (a profile change) is not news.
            if (head === null || head === last) continue
            last = head
            queue.push(await this.open(decodePost(await this.blob(fromHex(head, 32)), key), head))
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

  /** How many of the relays failed the last time they were dialed (the rest answered, or were not needed yet). */
  unreachableRelays (): number {
    return this.pool.relays().filter((relay) => relay.failures > 0).length
  }

  async close (): Promise<void> {
    await this.pool.close()
  }

  /**
   * A post as its reader sees it: a private one opened (its body fetched,
   * verified and decrypted) when this user is among its readers, else
   * marked locked (or unreadable) with no text.
   */
  private async open (post: Post, hash: string): Promise<StoredPost> {
    if (post.private === undefined) return { ...post, hash }
    const key = openKey(post.private, this.init.keyPair, post.author)
    if (key === null) return { ...post, hash, sealed: 'locked' }
    try {
      const body = await this.blob(fromHex(post.private.hash, 32), key)
      return { ...post, hash, text: new TextDecoder().decode(body), sealed: 'opened' }
    } catch {
      // A body no relay has, or a seal that does not open: this post is unreadable, the rest of the feed is not.
      return { ...post, hash, sealed: 'unreadable' }
    }
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

  /**
   * Upload a blob to every relay, signed and pinned by this user: its hash
   * and how many relays took it (a typed error when none did). Each relay
   * separately, so any one can be down.
   */
  private async upload (content: Uint8Array): Promise<{ hash: Uint8Array, relays: number }> {
    const results = await Promise.allSettled(this.init.relays.map(async (relay) => await this.store.put(content, { keyPair: this.init.keyPair, relays: [relay] })))
    const stored = results.flatMap((r) => r.status === 'fulfilled' ? [r.value] : [])
    const first = stored[0]
    if (first === undefined) throw firstError(results)
    this.remember(toHex(first.hash), content)
    return { hash: first.hash, relays: stored.length }
  }

  /**
   * Upload a blob encrypted under a fresh key (`@lume/blobs` makes one per
   * blob) to the relays that answer now, in one upload: the same ciphertext
   * on each. Its hash and key.
   */
  private async uploadSealed (content: Uint8Array): Promise<{ hash: Uint8Array, key: Uint8Array }> {
    const dialed = await Promise.allSettled(this.init.relays.map(async (relay) => { await this.pool.connect(relay); return relay }))
    const reachable = dialed.flatMap((r) => r.status === 'fulfilled' ? [r.value] : [])
    if (reachable.length === 0) throw firstError(dialed)
    const { hash, key } = await this.store.put(content, { keyPair: this.init.keyPair, relays: reachable, encrypt: true })
    if (key === undefined) throw new LumeError(ErrorCode.REMOTE_ERROR, 'an encrypted upload came back without its key')
    return { hash, key }
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

  /**
   * A blob (decrypted with `key` when given) from the relays that hold it,
   * every range verified against its hash; `TOO_LARGE` past
   * {@link MAX_POST_BYTES}, having fetched no more than that.
   */
  private async blob (hash: Uint8Array, key?: Uint8Array): Promise<Uint8Array> {
    const id = key === undefined ? toHex(hash) : `${toHex(hash)}:${toHex(key)}`
    const cached = this.blobs.get(id)
    if (cached !== undefined) return cached
    // One byte past the largest post: enough to know a blob is too big without fetching it whole.
    const bytes = await this.store.bytes(hash, { end: MAX_POST_BYTES + 1, ...(key === undefined ? {} : { key }) })
    if (bytes.byteLength > MAX_POST_BYTES) throw LumeError.tooLarge('a post', bytes.byteLength, MAX_POST_BYTES)
    this.remember(id, bytes)
    return bytes
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
    return await this.pool.connect(relay)
  }

  private opts (): { timeoutMs: number } {
    return { timeoutMs: this.init.timeoutMs ?? 5000 }
  }
}

/** The first typed reason among failed results (a connection failure when none is typed). */
function firstError (results: ReadonlyArray<PromiseSettledResult<unknown>>): LumeError {
  const reasons = results.flatMap((r) => r.status === 'rejected' ? [r.reason as unknown] : [])
  return reasons.find(LumeError.isInstance) ?? new LumeError(ErrorCode.CONNECTION_FAILED, 'no relay could be reached')
}
