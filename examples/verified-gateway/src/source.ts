import { BaoDecoder, groupLen, HEADER_LEN } from '@lume/bao-stream'
import { ErrorCode, LumeError, silentLogger, toHex, type Logger } from '@lume/types'
import type { Upstream } from './upstream.js'

/** A resource whose size is proven: its bytes can be read by range, each verified before it is handed on. */
export interface OpenedContent {
  /** Bytes in the whole resource, proven against its hash (never an untrusted header). */
  readonly size: number
  /**
   * Verified bytes [start, end), in order. An error ends the iteration after
   * every verified byte before it was handed on.
   */
  read: (start: number, end: number, signal: AbortSignal) => AsyncIterable<Uint8Array>
}

/** Where the gateway gets verified content: the bytes it hands on match the hash or the read fails. */
export interface VerifiedSource {
  /**
   * Prove the size of `hash` and get a reader. `options.key` is a content
   * key for sources that store encrypted content (the Lume source); others
   * refuse it with `INVALID_ARGUMENT`.
   */
  open: (hash: Uint8Array, signal: AbortSignal, options?: { key?: Uint8Array }) => Promise<OpenedContent>
}

/**
 * An untrusted HTTP origin ({@link Upstream}) made a verified source: the
 * outboard comes from the origin too, and every group of content is checked
 * against it and the hash (Bao, groups of 2^k chunks).
 */
export function verifyingSource (upstream: Upstream, k = 4, logger: Logger = silentLogger): VerifiedSource {
  const group = groupLen(k)
  return {
    async open (hash, signal, options = {}) {
      if (options.key !== undefined) throw LumeError.invalidArgument('an HTTP origin serves plain content: a key means nothing to it')
      const hashHex = toHex(hash)
      const outboard = await upstream.outboard(hashHex, signal)
      if (outboard.byteLength < HEADER_LEN) throw new LumeError(ErrorCode.TRUNCATED, 'outboard is shorter than its header')
      const size = Number(new DataView(outboard.buffer, outboard.byteOffset, 8).getBigUint64(0, true))
      // The header's length is untrusted until the final group verifies (Bao's final-chunk rule).
      const lastStart = size === 0 ? 0 : Math.floor((size - 1) / group) * group
      const last = new BaoDecoder(hash, { k, outboard, range: { start: lastStart, len: size - lastStart } })
      for await (const piece of await upstream.content(hashHex, lastStart, size, signal)) last.push(piece)
      last.finish()
      if (last.contentLength !== size) throw new LumeError(ErrorCode.HASH_MISMATCH, 'the final group did not prove the length')
      return {
        size,
        async * read (start, end, readSignal) {
          if (end <= start) return
          const decoder = new BaoDecoder(hash, { k, outboard, range: { start, len: end - start } })
          const groupStart = Math.floor(start / group) * group
          const groupEnd = Math.min(Math.ceil(end / group) * group, size)
          for await (const piece of await upstream.content(hashHex, groupStart, groupEnd, readSignal)) {
            yield * decoder.push(piece)
            const failure = decoder.error
            if (failure !== null) {
              logger.error({ hash: hashHex, offset: failure.details.offset }, `corrupt content from upstream: ${failure.message}`)
              throw failure
            }
          }
          decoder.finish()
        }
      }
    }
  }
}
