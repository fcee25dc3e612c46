import { Transform } from 'node:stream'
import { BaoDecoder, type DecoderOptions } from '../lib/decoder.js'

/**
 * A Node `Transform` that verifies a Bao stream and passes on only verified
 * content; it errors (`HASH_MISMATCH`, with the offset) at the first bad node,
 * after passing on everything before it, and with `TRUNCATED` on an early end.
 */
export function createVerifyTransform (hash: Uint8Array, options: DecoderOptions = {}): Transform {
  const decoder = new BaoDecoder(hash, options)
  return new Transform({
    transform (chunk: Buffer, _encoding, callback) {
      let parts: Uint8Array[]
      try {
        parts = decoder.push(chunk)
      } catch (err) {
        callback(err as Error)
        return
      }
      // Everything verified before a failure goes out first, then the error.
      for (const part of parts) this.push(part)
      callback(decoder.error ?? undefined)
    },
    flush (callback) {
      try {
        decoder.finish()
        callback()
      } catch (err) {
        callback(err as Error)
      }
    }
  })
}
