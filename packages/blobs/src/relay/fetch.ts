import { decode, encode, ErrorCode, equalBytes, LumeError, toHex, type PluginAPI } from '@lume/types'
import { proveSize, verifiedRanges, type RangeSource } from '../lib/downloader.js'
import { BlobMethods } from '../lib/methods.js'
import type { FileBlobStore } from '../store/file-store.js'

/** Options for {@link fetchInto}. */
export interface FetchIntoOptions {
  /** Largest blob taken. */
  maxBlobBytes: number
  /** A holder silent this long is dropped, ms. @default 10,000 */
  stallMs?: number
  /** The whole fetch may take this long plus its size at `minBytesPerSecond`, ms. @default 30,000 */
  floorMs?: number
  /** The slowest average rate a fetch may run at, bytes per second. @default 262,144 (256 KiB/s) */
  minBytesPerSecond?: number
  signal?: AbortSignal
}

/** How long a fetch of `size` bytes may take in all: a floor plus its size at the slowest rate allowed, ms. */
export function fetchDeadlineMs (size: number, floorMs: number, minBytesPerSecond: number): number {
  return floorMs + Math.ceil(size / minBytesPerSecond * 1000)
}

/**
 * Download a blob from other relays (verified range by range) into this
 * relay's cache, unpinned: a relay that fetched a blob for a client keeps it
 * and can serve it. Resolves with its size. A fetch that misses its deadline
 * ({@link fetchDeadlineMs}, from its start) fails `TIMEOUT` and keeps nothing.
 */
export async function fetchInto (api: PluginAPI, store: FileBlobStore, hash: Uint8Array, holders: Uint8Array[], options: FetchIntoOptions): Promise<number> {
  if (holders.length === 0) throw new LumeError(ErrorCode.NOT_FOUND, 'no relay is known to hold this blob')
  // Each read is bounded by the stall timeout only: a holder serving valid bytes just fast enough
  // would keep a relay-wide fetch slot for as long as it likes without an overall deadline.
  const started = performance.now()
  const controller = new AbortController()
  const onAbort = (): void => controller.abort(options.signal?.reason)
  if (options.signal?.aborted === true) onAbort()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  let expired: LumeError | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  const arm = (size: number): void => {
    const deadline = fetchDeadlineMs(size, options.floorMs ?? 30_000, options.minBytesPerSecond ?? 256 * 1024)
    timer = setTimeout(() => {
      expired = LumeError.timeout('blob fetch', deadline)
      controller.abort(expired)
    }, Math.max(0, started + deadline - performance.now()))
  }
  try {
    return await fetchUnbounded(api, store, hash, holders, options, controller.signal, arm)
  } catch (err) {
    throw expired ?? err
  } finally {
    if (timer !== null) clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
  }
}

async function fetchUnbounded (api: PluginAPI, store: FileBlobStore, hash: Uint8Array, holders: Uint8Array[], options: FetchIntoOptions, signal: AbortSignal, arm: (size: number) => void): Promise<number> {
  const stallMs = options.stallMs ?? 10_000
  const sources: RangeSource[] = holders.map((key) => ({
    id: toHex(key),
    info: async () => {
      const peer = await api.connect(key, stallMs)
      return decode(BlobMethods.info.response, await peer.request(BlobMethods.info.name, encode(BlobMethods.info.request, hash), stallMs))
    },
    read: async (start, len) => {
      const peer = await api.connect(key, stallMs)
      const body = await peer.request(BlobMethods.read.name, encode(BlobMethods.read.request, { hash, start, len }), stallMs)
      return decode(BlobMethods.read.response, body)
    }
  }))
  const size = await proveSize(hash, sources, stallMs, signal)
  const limit = Math.min(options.maxBlobBytes, store.cacheBytes)
  if (size > limit) throw LumeError.tooLarge('blob to fetch', size, limit)
  arm(size)
  const upload = await store.createUpload(size)
  try {
    for await (const piece of verifiedRanges(hash, size, sources, { stallMs, signal })) await upload.write(piece)
    // Missed while the last piece was written: nothing is kept.
    if (signal.aborted) throw LumeError.aborted('blob fetch', signal.reason)
  } catch (err) {
    await upload.discard()
    throw err
  }
  await store.add(upload, null, { perKeyBytes: 0, maxPinnedBytes: 0 }, (computed) => {
    if (!equalBytes(computed, hash)) throw new LumeError(ErrorCode.HASH_MISMATCH, 'fetched bytes do not hash to the blob')
  })
  return size
}
