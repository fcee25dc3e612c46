import { ErrorCode, LumeError } from '@lume/types'
import { BaoDecoder, type DecoderOptions } from './decoder.js'

/**
 * A WHATWG TransformStream that verifies a Bao stream (combined encoding or
 * slice, or plain content with `outboard`) and passes on only verified
 * content. On the first bad node the stream errors with `HASH_MISMATCH`
 * after everything before it was passed on; an early end errors with
 * `TRUNCATED`. Works with `fetch`: `response.body.pipeThrough(createDecoderStream(hash))`.
 */
export function createDecoderStream (hash: Uint8Array, options: DecoderOptions = {}): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new BaoDecoder(hash, options)
  return new TransformStream<Uint8Array, Uint8Array>({
    transform (chunk, controller) {
      let parts: Uint8Array[]
      try {
        parts = decoder.push(chunk)
      } catch (err) {
        controller.error(err)
        return
      }
      // Everything verified before a failure goes out first, then the error.
      for (const part of parts) controller.enqueue(part)
      if (decoder.error !== null) controller.error(decoder.error)
    },
    flush (controller) {
      try {
        decoder.finish()
      } catch (err) {
        controller.error(LumeError.isInstance(err) ? err : new LumeError(ErrorCode.TRUNCATED, String(err)))
      }
    }
  })
}
