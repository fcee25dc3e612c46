import { BaoDecoder, type DecoderOptions } from './decoder.js'

/** A WHATWG writable/readable pair, as `pipeThrough` takes it. */
export interface DecoderStream {
  /** Where the Bao stream (or the content, with `outboard`) is written. */
  readonly writable: WritableStream<Uint8Array>
  /** Verified content, then the end or the error. */
  readonly readable: ReadableStream<Uint8Array>
}

/**
 * A WHATWG stream pair that verifies a Bao stream (combined encoding or
 * slice, or plain content with `outboard`) and passes on only verified
 * content. On the first bad node the readable side errors with
 * `HASH_MISMATCH`, and on an early end with `TRUNCATED` — but only after
 * every byte verified before it was read (a `TransformStream` would drop
 * what is still queued when it errors, so this is a pair of its own). The
 * writable side rejects at once, so a pipe stops fetching. Works with
 * `fetch`: `response.body.pipeThrough(createDecoderStream(hash))`.
 *
 * The output pieces are views of the written chunks (no copy): as with any
 * stream, do not modify a chunk after writing it.
 */
export function createDecoderStream (hash: Uint8Array, options: DecoderOptions = {}): DecoderStream {
  const decoder = new BaoDecoder(hash, options)
  // Verified pieces not yet read: at most one write's worth, as each write waits for them to be read.
  const queue: Uint8Array[] = []
  let failure: { reason: unknown } | null = null
  let ended = false
  let cancelled: { reason: unknown } | null = null
  // Wakes a pull that found nothing to hand out.
  let wake: (() => void) | null = null
  // Releases a write once its output was read (or the reader went away).
  let drained: (() => void) | null = null
  let writableController: WritableStreamDefaultController | null = null

  const notify = (): void => { const w = wake; wake = null; w?.() }
  const release = (): void => { const d = drained; drained = null; d?.() }
  const fail = (reason: unknown): void => { if (failure === null) failure = { reason }; notify() }

  const readable = new ReadableStream<Uint8Array>({
    async pull (controller) {
      for (;;) {
        const next = queue.shift()
        if (next !== undefined) {
          controller.enqueue(next)
          if (queue.length === 0) release()
          return
        }
        // Everything verified has been read: now the error, or the end.
        if (failure !== null) { controller.error(failure.reason); return }
        if (ended) { controller.close(); return }
        await new Promise<void>((resolve) => { wake = resolve })
      }
    },
    cancel (reason) {
      cancelled = { reason }
      queue.length = 0
      release()
      writableController?.error(reason)
    }
  }, { highWaterMark: 0 })

  const writable = new WritableStream<Uint8Array>({
    start (controller) { writableController = controller },
    async write (chunk) {
      if (cancelled !== null) throw cancelled.reason
      if (failure !== null) throw failure.reason
      queue.push(...decoder.push(chunk))
      notify()
      if (decoder.error !== null) { fail(decoder.error); throw decoder.error }
      // Backpressure: take no more input until this output was read.
      if (queue.length > 0) await new Promise<void>((resolve) => { drained = resolve })
    },
    close () {
      ended = true
      try {
        decoder.finish()
      } catch (err) {
        fail(err)
      }
      notify()
    },
    abort (reason) {
      // The source failed: what verified so far is still read, then its reason.
      fail(reason)
    }
  })

  return { writable, readable }
}
