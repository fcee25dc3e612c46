import type { Flood } from '@lume/dht-flood'
import type { DhtCache } from '@lume/dht-cache'
import { encodeAnnouncement, MAX_HASHES_PER_ANNOUNCE } from '@lume/dht-cache'
import { ErrorCode, equalBytes, LumeError, PLUGIN_API_VERSION, toHex, type Plugin, type PluginAPI } from '@lume/types'
import { outboardLen } from '@lume/bao-stream'
import { BLOB_K, MAX_HOLDERS, MAX_READ_BYTES, MAX_WRITE_BYTES } from '../lib/constants.js'
import { BlobLimitDefaults, BlobLimitKinds } from '../lib/limits.js'
import { BlobMethods } from '../lib/methods.js'
import { Pacer } from '../lib/pacer.js'
import { holderKey, verifyPin, verifyUnpin } from '../lib/pin.js'
import type { FileBlobStore } from '../store/file-store.js'
import { charge } from '../store/pin-ledger.js'
import type { UploadFile } from '../store/upload-file.js'
import { Reannouncer } from './reannouncer.js'
import { UploadTable } from './upload-table.js'
import { fetchInto } from './fetch.js'

/** Options for {@link blobsPlugin}; every limit has a default. */
export interface BlobsPluginOptions {
  /** Where blobs live (opened by the caller, closed by it). */
  store: FileBlobStore
  /** Largest blob accepted, bytes. @default 256 MiB */
  maxBlobBytes?: number
  /** Bytes one owner key may pin on this relay. @default 256 MiB */
  perKeyBytes?: number
  /** Bytes all owners together may pin on this relay. @default 4 GiB */
  maxPinnedBytes?: number
  /** Owner keys that may pin one blob here (`QUOTA_EXCEEDED` past it). @default 64 */
  maxPinsPerBlob?: number
  /** Bytes per second this relay serves in `blobs.read` answers, all callers together; 0: no cap. @default 0 */
  serveBytesPerSecond?: number
  /** An upload that does not progress by a full write (512 KiB) or to its end within this long is dropped, ms. @default 30,000 */
  uploadIdleMs?: number
  /** How long announcements say a blob is held, ms (re-announced at half of it). @default 600,000 */
  announceTtlMs?: number
  /** A `blobs.fetch` may take this long plus its size at `fetchMinBytesPerSecond`, ms; then it fails `TIMEOUT`. @default 30,000 */
  fetchFloorMs?: number
  /** The slowest average rate a `blobs.fetch` may download at, bytes per second. @default 262,144 */
  fetchMinBytesPerSecond?: number
}

/** How long withdrawals of dropped blobs are gathered before they go out in one announcement, ms. */
const WITHDRAW_DELAY_MS = 1000

/** One download into the store, shared by every caller asking for that blob meanwhile. */
interface FetchJob {
  result: Promise<number>
  controller: AbortController
  waiters: number
}

/**
 * Blobs on a relay: signed uploads with per-key and per-relay quotas, pins,
 * an LRU cache of unpinned blobs, verified range reads, and announcements of
 * what it holds over the cache directory (when `@lume/dht-cache` is loaded).
 */
export function blobsPlugin (options: BlobsPluginOptions): Plugin {
  const store = options.store
  const limits = {
    perKeyBytes: options.perKeyBytes ?? 256 * 1024 * 1024,
    maxPinnedBytes: options.maxPinnedBytes ?? 4 * 1024 * 1024 * 1024,
    maxPinsPerBlob: options.maxPinsPerBlob ?? 64
  }
  const maxBlob = options.maxBlobBytes ?? 256 * 1024 * 1024
  const idleMs = options.uploadIdleMs ?? 30_000
  const ttlMs = options.announceTtlMs ?? 600_000
  const fetchFloorMs = options.fetchFloorMs ?? 30_000
  const fetchMinRate = options.fetchMinBytesPerSecond ?? 256 * 1024
  const pacer = new Pacer(options.serveBytesPerSecond ?? 0)
  const uploads = new UploadTable(idleMs, () => api?.logger)
  const fetching = new Map<string, FetchJob>()
  let api: PluginAPI | null = null
  let announcer: Reannouncer | null = null
  // Blobs dropped since the last withdrawal: at most every blob the store held, sent within WITHDRAW_DELAY_MS.
  let gone: Uint8Array[] = []
  let withdrawer: ReturnType<typeof setTimeout> | null = null
  let stopWatching: (() => void) | null = null

  const announce = (hashes: Uint8Array[]): void => {
    const flood = api?.use<Flood>('flood')
    if (flood === undefined || api?.use<DhtCache>('cache') === undefined) return
    for (let i = 0; i < hashes.length; i += MAX_HASHES_PER_ANNOUNCE) {
      try {
        flood.broadcast(encodeAnnouncement({ type: 'have', ttlMs, hashes: hashes.slice(i, i + MAX_HASHES_PER_ANNOUNCE).map(holderKey) }))
      } catch (err) {
        api?.logger.warn({ err }, 'blob announcement failed')
      }
    }
  }

  // Other relays would name this one as a holder until the announcement's TTL: say it is gone, batched
  // (an eviction can drop thousands of small blobs at once; one flood packet per 512 of them).
  const withdraw = (): void => {
    withdrawer = null
    // One dropped and stored again meanwhile was announced afresh: withdrawing it now would be wrong.
    const hashes = gone.filter((hash) => !store.has(hash))
    gone = []
    const flood = api?.use<Flood>('flood')
    if (flood === undefined || api?.use<DhtCache>('cache') === undefined) return
    for (let i = 0; i < hashes.length; i += MAX_HASHES_PER_ANNOUNCE) {
      try {
        flood.broadcast(encodeAnnouncement({ type: 'gone', hashes: hashes.slice(i, i + MAX_HASHES_PER_ANNOUNCE).map(holderKey) }))
      } catch (err) {
        api?.logger.warn({ err }, 'blob withdrawal failed')
      }
    }
  }

  return {
    name: 'blobs',
    apiVersion: PLUGIN_API_VERSION,
    uses: ['flood', 'cache'],
    start (pluginApi) {
      api = pluginApi
      const relayKey = pluginApi.relayPublicKey
      pluginApi.defineBudget(BlobLimitKinds.uploads, BlobLimitDefaults.uploads)
      pluginApi.defineBudget(BlobLimitKinds.uploadBytes, BlobLimitDefaults.uploadBytes)
      pluginApi.defineBudget(BlobLimitKinds.fetches, BlobLimitDefaults.fetches)
      pluginApi.defineRate(BlobLimitKinds.reads, BlobLimitDefaults.reads)
      pluginApi.defineBudget(BlobLimitKinds.readBytes, BlobLimitDefaults.readBytes)
      pluginApi.defineRate(BlobLimitKinds.pinBytes, BlobLimitDefaults.pinBytes)
      // Opens no channel: it is the relay's hook for "this connection closed", which drops its uploads.
      pluginApi.registerProtocol({
        name: 'lume/blobs/uploads',
        onConnection: (connection) => () => {
          uploads.dropConnection(connection.budget)
        }
      })
      pluginApi.registerMethod({
        ...BlobMethods.begin,
        name: 'begin',
        handler: async ({ size, owner }, { budget, signal }) => {
          if (size > maxBlob) throw LumeError.tooLarge('blob', size, maxBlob)
          // An early refusal only: the quota is charged when the owner signs at the end.
          if (!equalBytes(owner, new Uint8Array(32)) && store.usedBy(owner) + size > limits.perKeyBytes) {
            throw new LumeError(ErrorCode.QUOTA_EXCEEDED, `this key may pin ${limits.perKeyBytes} bytes here`, { details: { scope: 'key', limit: limits.perKeyBytes } })
          }
          budget.spend(BlobLimitKinds.pinBytes, charge(size))
          const releaseSlot = budget.hold(BlobLimitKinds.uploads)
          let releaseBytes: () => void
          try {
            releaseBytes = budget.hold(BlobLimitKinds.uploadBytes, size)
          } catch (err) {
            releaseSlot()
            throw err
          }
          const release = (): void => { releaseBytes(); releaseSlot() }
          let file: UploadFile
          try {
            file = await store.createUpload(size)
          } catch (err) {
            release()
            throw err
          }
          // The caller left while the file was made: its close hook has run already, so drop it here.
          if (signal.aborted) {
            release()
            await file.discard()
            throw LumeError.aborted('blobs.begin', signal.reason)
          }
          return uploads.open(budget, file, release).id
        }
      })
      pluginApi.registerMethod({
        ...BlobMethods.write,
        name: 'write',
        maxRequestBytes: MAX_WRITE_BYTES + 64,
        handler: async ({ id, offset, bytes }, { budget }) => {
          const upload = uploads.find(id, budget)
          if (bytes.byteLength > MAX_WRITE_BYTES) throw LumeError.tooLarge('write', bytes.byteLength, MAX_WRITE_BYTES)
          // In order, and never past the size declared (and charged) at begin.
          if (offset !== upload.file.received) { uploads.drop(upload); throw LumeError.invalidArgument(`write at ${offset}, expected ${upload.file.received}`) }
          if (offset + bytes.byteLength > upload.file.size) { uploads.drop(upload); throw LumeError.tooLarge('upload', offset + bytes.byteLength, upload.file.size) }
          // Only progress keeps an upload open: a full write's worth (or the end) per idle period, not any byte,
          // or a trickle of one byte at a time holds its slot and declared bytes for as long as it likes.
          const end = offset + bytes.byteLength
          if (Math.floor(end / MAX_WRITE_BYTES) > Math.floor(offset / MAX_WRITE_BYTES) || end === upload.file.size) uploads.touch(upload)
          try {
            await upload.file.write(bytes)
          } catch (err) {
            uploads.drop(upload)
            throw err
          }
          return upload.file.received
        }
      })
      pluginApi.registerMethod({
        ...BlobMethods.finish,
        name: 'finish',
        handler: async ({ id, owner, hash, signature }, { budget }) => {
          const upload = uploads.find(id, budget)
          uploads.take(upload)
          try {
            if (upload.file.received !== upload.file.size) {
              await upload.file.discard()
              throw new LumeError(ErrorCode.TRUNCATED, `upload has ${upload.file.received} of ${upload.file.size} bytes`)
            }
            if (!verifyPin(owner, relayKey, hash, upload.file.size, signature)) {
              await upload.file.discard()
              throw LumeError.badSignature('blob pin')
            }
            const stored = await store.add(upload.file, owner, limits, (computed) => {
              if (!equalBytes(computed, hash)) throw new LumeError(ErrorCode.HASH_MISMATCH, 'the uploaded bytes do not hash to the signed hash')
            })
            announce([stored])
            return null
          } finally {
            upload.release()
          }
        }
      })
      pluginApi.registerMethod({
        ...BlobMethods.abort,
        name: 'abort',
        handler: (id, { budget }) => {
          uploads.drop(uploads.find(id, budget))
          return null
        }
      })
      pluginApi.registerMethod({
        ...BlobMethods.pin,
        name: 'pin',
        handler: async ({ owner, hash, signature }, { budget }) => {
          const size = store.size(hash)
          if (size === null) throw new LumeError(ErrorCode.NOT_FOUND, 'no such blob here')
          if (!verifyPin(owner, relayKey, hash, size, signature)) throw LumeError.badSignature('blob pin')
          if (!store.isPinnedBy(hash, owner)) budget.spend(BlobLimitKinds.pinBytes, charge(size))
          await store.pin(hash, owner, limits)
          return null
        }
      })
      pluginApi.registerMethod({
        ...BlobMethods.unpin,
        name: 'unpin',
        handler: async ({ owner, hash, signature }) => {
          const size = store.size(hash)
          if (size === null) throw new LumeError(ErrorCode.NOT_FOUND, 'no such blob here')
          if (!verifyUnpin(owner, relayKey, hash, size, signature)) throw LumeError.badSignature('blob unpin')
          await store.unpin(hash, owner)
          return null
        }
      })
      pluginApi.registerMethod({ ...BlobMethods.info, name: 'info', handler: (hash) => store.size(hash) })
      pluginApi.registerMethod({
        ...BlobMethods.read,
        name: 'read',
        handler: async ({ hash, start, len }, { budget, signal }) => {
          budget.spend(BlobLimitKinds.reads)
          if (len > MAX_READ_BYTES) throw LumeError.tooLarge('read', len, MAX_READ_BYTES)
          const size = store.size(hash)
          if (size === null) throw new LumeError(ErrorCode.NOT_FOUND, 'no such blob here')
          // Answers in preparation, and the outboard each is cut from, are charged to the caller:
          // parallel reads cannot pile up buffers.
          const release = budget.hold(BlobLimitKinds.readBytes, Math.max(1, Math.min(len, size)) + outboardLen(size, BLOB_K))
          try {
            const slice = await store.readSlice(hash, start, len)
            await pacer.wait(slice.byteLength, signal)
            return slice
          } finally {
            release()
          }
        }
      })
      pluginApi.registerMethod({
        ...BlobMethods.holders,
        name: 'holders',
        handler: (hash) => {
          const here = store.size(hash) === null ? [] : [relayKey]
          const cache = pluginApi.use<DhtCache>('cache')
          const others = (cache?.holders(holderKey(hash)) ?? []).filter((key) => !equalBytes(key, relayKey))
          return [...here, ...others].slice(0, MAX_HOLDERS)
        }
      })
      pluginApi.registerMethod({
        ...BlobMethods.fetch,
        name: 'fetch',
        handler: async (hash, { budget, signal }) => {
          const held = store.size(hash)
          if (held !== null) return held
          const key = toHex(hash)
          // Every waiter holds a slot: a download runs only while someone holding one still waits for it.
          const release = budget.hold(BlobLimitKinds.fetches)
          let job = fetching.get(key)
          if (job === undefined) {
            const cache = pluginApi.use<DhtCache>('cache')
            const holders = (cache?.holders(holderKey(hash)) ?? []).filter((k) => !equalBytes(k, relayKey))
            const controller = new AbortController()
            const result = fetchInto(pluginApi, store, hash, holders, { maxBlobBytes: maxBlob, floorMs: fetchFloorMs, minBytesPerSecond: fetchMinRate, signal: controller.signal }).then((size) => {
              announce([hash])
              return size
            })
            const created: FetchJob = { result, controller, waiters: 0 }
            job = created
            fetching.set(key, created)
            result.catch(() => {}).finally(() => { if (fetching.get(key) === created) fetching.delete(key) })
          }
          const mine = job
          mine.waiters++
          try {
            // The caller that started it leaving does not fail the others waiting.
            return await untilAborted(mine.result, signal)
          } finally {
            release()
            if (--mine.waiters === 0) {
              mine.controller.abort(LumeError.aborted('blob fetch'))
              if (fetching.get(key) === mine) fetching.delete(key)
            }
          }
        }
      })
      stopWatching = store.onRemove((hash) => {
        gone.push(hash)
        if (withdrawer !== null) return
        withdrawer = setTimeout(withdraw, WITHDRAW_DELAY_MS)
        withdrawer.unref?.()
      })
      // Say what is here from the start (a restarted relay is a holder again at once), then every half TTL,
      // a batch at a time: a store full of small blobs is never copied whole.
      const reannouncer = new Reannouncer({ periodMs: ttlMs / 2, batch: MAX_HASHES_PER_ANNOUNCE, count: () => store.count, hashes: () => store.iterateHashes(), send: announce })
      announcer = reannouncer
      // Once every plugin has started (the flood and the cache are usable), unless stopped already.
      queueMicrotask(() => { if (announcer === reannouncer) reannouncer.start() })
    },
    stop () {
      announcer?.stop()
      announcer = null
      stopWatching?.()
      stopWatching = null
      if (withdrawer !== null) clearTimeout(withdrawer)
      withdrawer = null
      gone = []
      uploads.dropAll()
      for (const job of fetching.values()) job.controller.abort(LumeError.aborted('blob fetch'))
      fetching.clear()
      api = null
    }
  }
}

/** `promise`, or an `ABORTED` failure as soon as `signal` fires. */
async function untilAborted<T> (promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return await promise
  if (signal.aborted) throw LumeError.aborted('blob fetch', signal.reason)
  let onAbort = (): void => {}
  try {
    return await Promise.race([promise, new Promise<never>((_resolve, reject) => {
      onAbort = () => reject(LumeError.aborted('blob fetch', signal.reason))
      signal.addEventListener('abort', onAbort, { once: true })
    })])
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}
