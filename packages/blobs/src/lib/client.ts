import { OutboardEncoder } from '@lume/bao-stream'
import type { RpcConnection } from '@lume/rpc'
import type { RelayPool } from '@lume/rpc-client'
import { ErrorCode, LumeError, toHex } from '@lume/types'
import { type KeyPair } from '@lume/crypto'
import { decodeLink, encodeLink, type ReadCapability } from './capability.js'
import { BLOB_K, GROUP_BYTES, MAX_WRITE_BYTES } from './constants.js'
import { proveSize, verifiedRanges, type RangeSource } from './downloader.js'
import { GroupCutter, KEY_BYTES, openGroup, PLAIN_GROUP_BYTES, plainSize, sealGroup, sealedSize, groupCount } from './encryption.js'
import { BlobMethods } from './methods.js'
import { signPin, signUnpin } from './pin.js'
import { mirrorTo, restoreFrom, type MirrorResult, type Restored } from './mirror.js'
import { checked, iteratorStream, piecesOf, rechunk, sealed, trim } from './streams.js'

/** Options for {@link BlobClient}. */
export interface BlobClientInit {
  /** The pool the client reaches relays through (Node: a DHT dialer; browsers: `webSocketDialer`). */
  pool: RelayPool
  /** Relays uploads go to, and that are asked who holds a blob. */
  relays: Uint8Array[]
  /** A relay that has not answered a range in this long is dropped and the range fetched elsewhere, ms. @default 10,000 */
  stallMs?: number
  /** Content bytes per range request (a multiple of 16 KiB, up to 4 MiB). @default 1 MiB */
  rangeBytes?: number
  /** Range requests in flight per relay. @default 2 */
  perSource?: number
  /** Most relays one download uses. @default 8 */
  maxSources?: number
  /** Writes in flight per relay during an upload. @default 4 */
  writesInFlight?: number
}

/** Options for {@link BlobClient.put}. */
export interface PutOptions {
  /** The owner: signs the pin and is charged for the bytes. */
  keyPair: KeyPair
  /** Relays to store on. @default the client's relays */
  relays?: Uint8Array[]
  /** Bytes the stream will yield (needed for streams; a byte array knows its own). */
  size?: number
  /**
   * Encrypt on this machine first, under a fresh random key (never one
   * given: nonces count groups, so a key must seal one blob only). @default false
   */
  encrypt?: boolean
  /** Called with the bytes sent so far and the total. */
  onProgress?: (sent: number, total: number) => void
  signal?: AbortSignal
}

/** What {@link BlobClient.put} stored. */
export interface PutResult {
  /** The root hash (BLAKE3) of what the relays hold: the ciphertext for an encrypted blob. */
  hash: Uint8Array
  /** Bytes the relays hold. */
  size: number
  /** The key, for an encrypted blob. */
  key?: Uint8Array
  /** The share link: hash, and key if encrypted (see {@link encodeLink}). */
  link: string
}

/** Options for {@link BlobClient.get}. */
export interface GetOptions {
  /** First byte wanted (of the plaintext, for an encrypted blob): resume from here. @default 0 */
  start?: number
  /** Byte to stop before. @default the end */
  end?: number
  /** The blob's key, when it is encrypted (a share link carries it). */
  key?: Uint8Array
  /** More relays to try besides those the client's relays name as holders. */
  holders?: Uint8Array[]
  /** Called with the bytes handed on so far and the total to hand on. */
  onProgress?: (delivered: number, total: number) => void
  /** Called when a relay is dropped from the download, with why. */
  onDrop?: (relay: string, reason: LumeError) => void
  signal?: AbortSignal
}

/** Options for {@link BlobClient.open}. */
export type OpenOptions = Pick<GetOptions, 'key' | 'holders' | 'onDrop' | 'signal'>

/** A blob whose holders are found and whose size is proven: read any range of it. */
export interface BlobReader {
  /** The blob's BLAKE3 root (of the ciphertext, for an encrypted blob). */
  readonly hash: Uint8Array
  /** Bytes a whole read hands on (the plaintext's, for an encrypted blob with its key), proven against the hash. */
  readonly size: number
  /** True when a key was given and reads are decrypted. */
  readonly encrypted: boolean
  /** Verified (and decrypted) bytes [start, end), in order; the same options as {@link BlobClient.get}. */
  read: (range?: Pick<GetOptions, 'start' | 'end' | 'onProgress' | 'onDrop' | 'signal'>) => AsyncGenerator<Uint8Array>
}

/**
 * Stores blobs on relays and reads them back from every relay that holds
 * them at once, verifying each range against the hash before handing it on.
 * Works in Node and browsers.
 */
export class BlobClient {
  private readonly init: Required<Omit<BlobClientInit, 'pool' | 'relays'>> & Pick<BlobClientInit, 'pool' | 'relays'>

  constructor (init: BlobClientInit) {
    this.init = { stallMs: 10_000, rangeBytes: 1024 * 1024, perSource: 2, maxSources: 8, writesInFlight: 4, ...init }
  }

  get [Symbol.toStringTag] (): string {
    return 'BlobClient'
  }

  /**
   * Upload `data` to the relays (each gets every byte, streamed once),
   * signed by the owner and pinned for it there. Resolves once every relay
   * has stored it durably. Fails with the first relay's typed error
   * (`QUOTA_EXCEEDED`, `TOO_LARGE`, `RATE_LIMITED`, ...).
   */
  async put (data: Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, options: PutOptions): Promise<PutResult> {
    return await this.upload(data, options, options.encrypt === true ? crypto.getRandomValues(new Uint8Array(KEY_BYTES)) : undefined)
  }

  /**
   * Mirror an identity's data to one always-on relay, encrypted: its registry
   * head (the newest entry under the mnemonic's identity key, from the
   * client's relays) is copied there, every blob is fetched there (if need
   * be) and pinned under a mirror key derived from the mnemonic, and a
   * manifest of them (with their keys) is stored there encrypted, pointed to
   * by a registry entry under the mirror key. The relay needs the registry
   * and blobs plugins. See {@link restore}.
   */
  async mirror (mnemonic: string, relay: Uint8Array, blobs: ReadCapability[]): Promise<MirrorResult> {
    return await mirrorTo(this, this.init.pool, this.init.relays, mnemonic, relay, blobs)
  }

  /** What {@link mirror} stored on `relay`, found from the mnemonic alone: the registry head and the blobs' read capabilities. */
  async restore (mnemonic: string, relay: Uint8Array): Promise<Restored> {
    return await restoreFrom(this, this.init.pool, mnemonic, relay)
  }

  /** @internal Upload under a given key (the mirror's manifest key), or in the clear. */
  async upload (data: Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, options: PutOptions, key: Uint8Array | undefined): Promise<PutResult> {
    const plain = data instanceof Uint8Array ? data.byteLength : options.size
    if (plain === undefined || !Number.isSafeInteger(plain) || plain < 0) throw LumeError.invalidArgument('put needs the size of a stream (options.size)')
    const size = key === undefined ? plain : sealedSize(plain)
    const relays = options.relays ?? this.init.relays
    if (relays.length === 0) throw LumeError.invalidArgument('put needs at least one relay')
    const begun = await Promise.allSettled(relays.map(async (relay) => {
      const conn = await this.init.pool.connect(relay)
      return { relay, conn, id: await conn.call(BlobMethods.begin, { size, owner: options.keyPair.publicKey }), inFlight: [] as Array<Promise<number>> }
    }))
    const uploads = begun.flatMap((b) => b.status === 'fulfilled' ? [b.value] : [])
    const refused = begun.find((b) => b.status === 'rejected')
    if (refused !== undefined) {
      // One relay said no: the others' uploads are dropped rather than left to time out.
      for (const u of uploads) u.conn.call(BlobMethods.abort, u.id).catch(() => {})
      throw refused.reason
    }
    const encoder = new OutboardEncoder({ k: BLOB_K })
    try {
      let sent = 0
      const groups = groupCount(plain)
      const cutter = key === undefined ? null : new GroupCutter(PLAIN_GROUP_BYTES, plain, 0, (index, bytes) => sealGroup(key, index, index === groups - 1, bytes))
      const source = cutter === null ? checked(piecesOf(data), plain) : sealed(piecesOf(data), cutter)
      for await (const piece of rechunk(source, MAX_WRITE_BYTES)) {
        if (options.signal?.aborted === true) throw LumeError.aborted('put', options.signal.reason)
        encoder.push(piece)
        const offset = sent
        sent += piece.byteLength
        await Promise.all(uploads.map(async (u) => {
          // Several writes in flight per relay: the relay takes them in order.
          if (u.inFlight.length >= this.init.writesInFlight) await u.inFlight.shift()
          const write = u.conn.call(BlobMethods.write, { id: u.id, offset, bytes: piece })
          write.catch(() => {})
          u.inFlight.push(write)
        }))
        options.onProgress?.(sent, size)
      }
      if (sent !== size) throw new LumeError(ErrorCode.TRUNCATED, `the stream gave ${sent} bytes, not ${size}`)
      const { hash } = encoder.finish()
      await Promise.all(uploads.map(async (u) => {
        await Promise.all(u.inFlight)
        await u.conn.call(BlobMethods.finish, { id: u.id, owner: options.keyPair.publicKey, hash, signature: signPin(options.keyPair.secretKey, u.relay, hash, size) })
      }))
      return key === undefined ? { hash, size, link: encodeLink({ hash }) } : { hash, size, key, link: encodeLink({ hash, key }) }
    } catch (err) {
      for (const u of uploads) u.conn.call(BlobMethods.abort, u.id).catch(() => {})
      throw err
    }
  }

  /**
   * Read a blob (by hash, share link or capability) from every relay that
   * holds it, as a stream of verified (and, with a key, decrypted) bytes in
   * order. A relay that sends a bad range or stalls is dropped; the stream
   * errors only when no relay is left (`CONNECTION_FAILED`), the blob is
   * nowhere (`NOT_FOUND`) or the key is wrong (`DECRYPTION_FAILED`).
   */
  get (target: Uint8Array | string | ReadCapability, options: GetOptions = {}): ReadableStream<Uint8Array> {
    return iteratorStream(this.read(target, options))
  }

  /** The whole blob (or the range asked for) in one buffer. */
  async bytes (target: Uint8Array | string | ReadCapability, options: GetOptions = {}): Promise<Uint8Array> {
    const parts: Uint8Array[] = []
    for await (const part of this.read(target, options)) parts.push(part)
    const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
    let at = 0
    for (const part of parts) { out.set(part, at); at += part.byteLength }
    return out
  }

  /** Relays believed to hold `hash`: the client's relays are asked, and those that hold it come first. */
  async holders (hash: Uint8Array): Promise<Uint8Array[]> {
    const answers = await Promise.allSettled(this.init.relays.map(async (relay) => await (await this.init.pool.connect(relay)).call(BlobMethods.holders, hash, { timeoutMs: this.init.stallMs })))
    const seen = new Map<string, Uint8Array>()
    for (const answer of answers) {
      if (answer.status !== 'fulfilled') continue
      for (const key of answer.value) if (!seen.has(toHex(key))) seen.set(toHex(key), key)
    }
    return [...seen.values()]
  }

  /**
   * Pin a blob the relays already hold (in their cache, or pinned by others)
   * for `keyPair`, without sending it again: `NOT_FOUND` where it is not held,
   * `QUOTA_EXCEEDED` past the key's quota.
   */
  async pin (hash: Uint8Array, keyPair: KeyPair, relays: Uint8Array[] = this.init.relays): Promise<void> {
    await Promise.all(relays.map(async (relay) => {
      const conn = await this.init.pool.connect(relay)
      const size = await conn.call(BlobMethods.info, hash)
      if (size === null) throw new LumeError(ErrorCode.NOT_FOUND, `relay ${toHex(relay).slice(0, 12)} does not hold the blob`)
      await conn.call(BlobMethods.pin, { owner: keyPair.publicKey, hash, signature: signPin(keyPair.secretKey, relay, hash, size) })
    }))
  }

  /** Drop `keyPair`'s pin of the blob on the relays (its bytes stop counting against the key); unpinned by everyone, it becomes cache. */
  async unpin (hash: Uint8Array, keyPair: KeyPair, relays: Uint8Array[] = this.init.relays): Promise<void> {
    await Promise.all(relays.map(async (relay) => {
      const conn = await this.init.pool.connect(relay)
      const size = await conn.call(BlobMethods.info, hash)
      if (size === null) return
      await conn.call(BlobMethods.unpin, { owner: keyPair.publicKey, hash, signature: signUnpin(keyPair.secretKey, relay, hash, size) })
    }))
  }

  /** Ask `relay` to fetch the blob from its holders and keep it (it then serves and announces it); resolves with its size. */
  async fetchVia (relay: Uint8Array, hash: Uint8Array, timeoutMs = 120_000): Promise<number> {
    return await (await this.init.pool.connect(relay)).call(BlobMethods.fetch, hash, { timeoutMs })
  }

  /**
   * Find the blob's holders and prove its size (the final chunk, verified
   * against the hash) before reading anything: what an HTTP gateway needs to
   * promise a `Content-Length`. The reader then reads any range from the same
   * holders, verified (and decrypted when a key is known) before it is handed
   * on. `NOT_FOUND` when no relay holds it.
   */
  async open (target: Uint8Array | string | ReadCapability, options: OpenOptions = {}): Promise<BlobReader> {
    const capability = target instanceof Uint8Array ? { hash: target } : typeof target === 'string' ? decodeLink(target) : target
    const hash = capability.hash
    const key = options.key ?? capability.key
    const holders = [...await this.holders(hash), ...(options.holders ?? [])]
    const unique = [...new Map(holders.map((k) => [toHex(k), k])).values()].slice(0, this.init.maxSources)
    let sources = unique.map((relay) => this.source(relay, hash))
    // Each relay is reported dropped once, whether the size proof or the download dropped it.
    const dropped = new Set<string>()
    const once = (report: GetOptions['onDrop']) => (id: string, reason: LumeError): void => {
      if (dropped.has(id)) return
      dropped.add(id)
      report?.(id, reason)
    }
    const onDrop = once(options.onDrop)
    // A relay that fails to prove the size (lacks the blob, lies, stalls) is left out of the download.
    const stored = await proveSize(hash, sources, this.init.stallMs, options.signal, (bad, reason) => {
      sources = sources.filter((s) => s !== bad)
      if (reason.code !== ErrorCode.NOT_FOUND) onDrop(bad.id, reason)
    })
    const size = key === undefined ? stored : plainSize(stored)
    return {
      hash,
      size,
      encrypted: key !== undefined,
      // Drops during a read are reported once per relay too, to the read's own callback when it has one.
      read: (range = {}) => this.readOpened(hash, stored, sources, key, { ...options, ...range, onDrop: once(range.onDrop ?? options.onDrop) })
    }
  }

  private async * read (target: Uint8Array | string | ReadCapability, options: GetOptions): AsyncGenerator<Uint8Array> {
    const reader = await this.open(target, options)
    yield * reader.read(options)
  }

  private async * readOpened (hash: Uint8Array, stored: number, sources: RangeSource[], key: Uint8Array | undefined, options: GetOptions): AsyncGenerator<Uint8Array> {
    const download = { rangeBytes: this.init.rangeBytes, perSource: this.init.perSource, stallMs: this.init.stallMs, ...pick(options) }
    if (key === undefined) {
      yield * verifiedRanges(hash, stored, sources, { ...download, start: options.start ?? 0, end: options.end ?? stored })
      return
    }
    const plain = plainSize(stored)
    const start = Math.min(options.start ?? 0, plain)
    const end = Math.max(start, Math.min(options.end ?? plain, plain))
    const groups = groupCount(plain)
    const firstGroup = Math.floor(start / PLAIN_GROUP_BYTES)
    const lastGroup = end === start ? firstGroup : Math.ceil(end / PLAIN_GROUP_BYTES) - 1
    const cipherStart = firstGroup * GROUP_BYTES
    const cipherEnd = Math.min(stored, (lastGroup + 1) * GROUP_BYTES)
    const cutter = new GroupCutter(GROUP_BYTES, cipherEnd - cipherStart, firstGroup, (index, bytes) => openGroup(key, index, index === groups - 1, bytes))
    const { onProgress, ...rest } = download
    let delivered = 0
    const opened = sealed(verifiedRanges(hash, stored, sources, { ...rest, start: cipherStart, end: cipherEnd }), cutter)
    for await (const piece of trim(opened, start - firstGroup * PLAIN_GROUP_BYTES, end - start)) {
      delivered += piece.byteLength
      onProgress?.(delivered, end - start)
      yield piece
    }
  }

  private source (relay: Uint8Array, hash: Uint8Array): RangeSource {
    const connect = async (): Promise<RpcConnection> => await this.init.pool.connect(relay)
    return {
      id: toHex(relay),
      info: async (signal) => await (await connect()).call(BlobMethods.info, hash, { signal, timeoutMs: this.init.stallMs }),
      read: async (start, len, signal) => await (await connect()).call(BlobMethods.read, { hash, start, len }, { signal, timeoutMs: this.init.stallMs })
    }
  }
}

function pick (options: GetOptions): { onProgress?: GetOptions['onProgress'], onDrop?: GetOptions['onDrop'], signal?: AbortSignal } {
  const out: { onProgress?: GetOptions['onProgress'], onDrop?: GetOptions['onDrop'], signal?: AbortSignal } = {}
  if (options.onProgress !== undefined) out.onProgress = options.onProgress
  if (options.onDrop !== undefined) out.onDrop = options.onDrop
  if (options.signal !== undefined) out.signal = options.signal
  return out
}
