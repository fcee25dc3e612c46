import { decodeSlice } from '@lume/bao-stream'
import { ErrorCode, LumeError } from '@lume/types'
import { BLOB_K, GROUP_BYTES, MAX_READ_BYTES } from './constants.js'

/** Somewhere verified ranges can come from: a relay, over whatever connection. */
export interface RangeSource {
  /** A name for logs and `onDrop` (e.g. the relay's key in hex). */
  readonly id: string
  /** The blob's size as the source claims it, or null when it lacks the blob. Untrusted. */
  info (signal: AbortSignal): Promise<number | null>
  /** The Bao slice (k = 4, with header) for content [start, start + len). Untrusted. */
  read (start: number, len: number, signal: AbortSignal): Promise<Uint8Array>
}

/** Options for {@link verifiedRanges}. */
export interface DownloadOptions {
  /** First content byte wanted (resume from here). @default 0 */
  start?: number
  /** Content byte to stop before. @default the blob's size */
  end?: number
  /** Bytes per range request; a multiple of 16 KiB, at most 4 MiB. @default 1 MiB */
  rangeBytes?: number
  /** Requests in flight per source. @default 2 */
  perSource?: number
  /** A source that has not answered a range in this long is dropped and its range fetched elsewhere. @default 10,000 */
  stallMs?: number
  /** Ranges fetched ahead of the consumer. @default 16 */
  window?: number
  /** Called with the content bytes handed on so far and the total. */
  onProgress?: (delivered: number, total: number) => void
  /** Called when a source is dropped (bad range, stall, error), with why. */
  onDrop?: (source: string, reason: LumeError) => void
  /** Cancels the download. */
  signal?: AbortSignal
}

/**
 * Learn and prove a blob's size: a source's claim is believed only once the
 * slice for the final chunk it cuts at that size verifies against the root
 * (only the true length makes that tree). Asks every source at once and
 * takes the first proof; `onBad` hears of each source that failed.
 */
export async function proveSize (hash: Uint8Array, sources: RangeSource[], stallMs: number, signal?: AbortSignal, onBad?: (source: RangeSource, reason: LumeError) => void): Promise<number> {
  const proveOne = async (source: RangeSource): Promise<number> => {
    const claimed = await withTimeout(async (s) => await source.info(s), stallMs, signal)
    if (claimed === null) throw new LumeError(ErrorCode.NOT_FOUND, `${source.id} does not hold the blob`)
    const bytes = await withTimeout(async (s) => await source.read(claimed, 0, s), stallMs, signal)
    if (bytes.byteLength < 8 || Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true)) !== claimed) {
      throw new LumeError(ErrorCode.HASH_MISMATCH, `${source.id} sent a slice for another length than it claimed`)
    }
    decodeSlice(bytes, hash, claimed, 0, { k: BLOB_K })
    return claimed
  }
  return await new Promise<number>((resolve, reject) => {
    let left = sources.length
    let last: unknown = null
    const fail = (): void => reject(signal?.aborted === true
      ? LumeError.aborted('download', signal.reason)
      : new LumeError(ErrorCode.NOT_FOUND, 'no source holds the blob (or proved its size)', { cause: last }))
    if (left === 0) { fail(); return }
    for (const source of sources) {
      proveOne(source).then(resolve, (err: unknown) => {
        last = err
        if (signal?.aborted !== true) onBad?.(source, LumeError.isInstance(err) ? err : new LumeError(ErrorCode.REMOTE_ERROR, 'size proof failed', { cause: err }))
        if (--left === 0) fail()
      })
    }
  })
}

/**
 * Download content [start, size) of the blob `hash` from several sources at
 * once, in ranges, and yield it in order. Each range is verified against the
 * root before any of it is yielded; a source that sends a bad range, errs or
 * stalls is dropped and its range fetched from another. Fails when no source
 * is left. Breaking out of the loop cancels everything in flight.
 */
export async function * verifiedRanges (hash: Uint8Array, size: number, sources: RangeSource[], options: DownloadOptions = {}): AsyncGenerator<Uint8Array> {
  const rangeBytes = options.rangeBytes ?? 1024 * 1024
  if (rangeBytes % GROUP_BYTES !== 0 || rangeBytes <= 0 || rangeBytes > MAX_READ_BYTES) throw LumeError.invalidArgument(`rangeBytes must be a multiple of ${GROUP_BYTES} up to ${MAX_READ_BYTES}`)
  const end = Math.min(options.end ?? size, size)
  const start = Math.min(options.start ?? 0, end)
  if (start === end) return
  const stallMs = options.stallMs ?? 10_000
  const window = options.window ?? 16
  const first = Math.floor(start / rangeBytes)
  const last = Math.max(first, Math.ceil(end / rangeBytes) - 1)
  const pending: number[] = []
  for (let i = first; i <= last; i++) pending.push(i)
  const done = new Map<number, Uint8Array>()
  const alive = new Set(sources)
  const controller = new AbortController()
  // Wake the consumer too: workers that see the abort return without a word, and it may be waiting on them.
  const onAbort = (): void => { controller.abort(options.signal?.reason); notify() }
  options.signal?.addEventListener('abort', onAbort, { once: true })
  let next = first
  let failure: LumeError | null = null
  let wake: (() => void) | null = null
  let changed = new Promise<void>((resolve) => { wake = resolve })
  const notify = (): void => {
    const w = wake
    changed = new Promise<void>((resolve) => { wake = resolve })
    w?.()
  }
  const rangeOf = (i: number): { from: number, len: number } => {
    const from = Math.max(i * rangeBytes, start)
    return { from, len: Math.min(end, (i + 1) * rangeBytes) - from }
  }
  const drop = (source: RangeSource, reason: LumeError): void => {
    if (!alive.delete(source)) return
    options.onDrop?.(source.id, reason)
    if (alive.size === 0 && failure === null) failure = new LumeError(ErrorCode.CONNECTION_FAILED, 'every source failed or was dropped', { cause: reason })
  }
  const worker = async (source: RangeSource): Promise<void> => {
    while (!controller.signal.aborted && alive.has(source)) {
      if (failure !== null) return
      const at = pending.findIndex((i) => i < next + window)
      if (at === -1) {
        if (pending.length === 0) return
        await changed
        continue
      }
      const index = pending.splice(at, 1)[0] as number
      const { from, len } = rangeOf(index)
      try {
        const bytes = await withTimeout(async (s) => await source.read(from, len, s), stallMs, controller.signal)
        // Verified whole before any of it is handed on: a bad byte anywhere fails the range.
        done.set(index, decodeSlice(bytes, hash, from, len, { k: BLOB_K }))
      } catch (err) {
        insertSorted(pending, index)
        if (controller.signal.aborted) return
        drop(source, LumeError.isInstance(err) ? err : new LumeError(ErrorCode.REMOTE_ERROR, 'range request failed', { cause: err }))
      }
      notify()
    }
  }
  const workers: Array<Promise<void>> = []
  for (const source of sources) {
    for (let slot = 0; slot < (options.perSource ?? 2); slot++) workers.push(worker(source))
  }
  let delivered = 0
  const total = end - start
  try {
    while (next <= last) {
      const piece = done.get(next)
      if (piece !== undefined) {
        done.delete(next)
        next++
        notify()
        delivered += piece.byteLength
        options.onProgress?.(delivered, total)
        yield piece
        continue
      }
      if (failure !== null) throw failure
      if (controller.signal.aborted) throw LumeError.aborted('download', options.signal?.reason)
      await changed
    }
  } finally {
    controller.abort()
    notify()
    options.signal?.removeEventListener('abort', onAbort)
    await Promise.allSettled(workers)
  }
}

function insertSorted (list: number[], value: number): void {
  let i = 0
  while (i < list.length && (list[i] as number) < value) i++
  list.splice(i, 0, value)
}

/** Run `fn` with a signal that fires after `ms` (`TIMEOUT`) or when `outer` does. */
async function withTimeout<T> (fn: (signal: AbortSignal) => Promise<T>, ms: number, outer?: AbortSignal): Promise<T> {
  const controller = new AbortController()
  const onAbort = (): void => controller.abort(outer?.reason)
  outer?.addEventListener('abort', onAbort, { once: true })
  let timer: ReturnType<typeof setTimeout> | null = null
  try {
    return await Promise.race([
      fn(controller.signal),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => { const err = LumeError.timeout('range request', ms); controller.abort(err); reject(err) }, ms)
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason instanceof Error ? controller.signal.reason : LumeError.aborted('range request')), { once: true })
      })
    ])
  } finally {
    if (timer !== null) clearTimeout(timer)
    outer?.removeEventListener('abort', onAbort)
  }
}
