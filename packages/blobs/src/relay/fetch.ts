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
  signal?: AbortSignal
}

/**
 * Download a blob from other relays (verified range by range) into this
 * relay's cache, unpinned: a relay that fetched a blob for a client keeps it
 * and can serve it. Resolves with its size.
 */
export async function fetchInto (api: PluginAPI, store: FileBlobStore, hash: Uint8Array, holders: Uint8Array[], options: FetchIntoOptions): Promise<number> {
  if (holders.length === 0) throw new LumeError(ErrorCode.NOT_FOUND, 'no relay is known to hold this blob')
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
  const size = await proveSize(hash, sources, stallMs, options.signal)
  const limit = Math.min(options.maxBlobBytes, store.cacheBytes)
  if (size > limit) throw LumeError.tooLarge('blob to fetch', size, limit)
  const upload = await store.createUpload(size)
  try {
    for await (const piece of verifiedRanges(hash, size, sources, { stallMs, ...(options.signal === undefined ? {} : { signal: options.signal }) })) await upload.write(piece)
  } catch (err) {
    await upload.discard()
    throw err
  }
  await store.add(upload, null, { perKeyBytes: 0, maxPinnedBytes: 0 }, (computed) => {
    if (!equalBytes(computed, hash)) throw new LumeError(ErrorCode.HASH_MISMATCH, 'fetched bytes do not hash to the blob')
  })
  return size
}
