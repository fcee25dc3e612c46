import { Duplex } from 'node:stream'
import { BaoDecoder, type DecoderOptions } from '../lib/decoder.js'

const EMPTY = new Uint8Array(0)

/**
 * The Node side of the decoder. A failure is held back until everything
 * verified before it was read: destroying a Node stream drops what it has
 * buffered, so the error waits for an empty buffer.
 */
class VerifyStream extends Duplex {
  private failure: Error | null = null
  private blockedWrite: (() => void) | null = null

  constructor (private readonly decoder: BaoDecoder) {
    super()
  }

  override _write (chunk: Uint8Array, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // After a failure the input is dropped until the error goes out (it is bounded by the time that takes).
    if (this.failure !== null) { callback(); return }
    let room = true
    for (const part of this.decoder.push(chunk)) room = this.push(part)
    if (this.decoder.error !== null) this.fail(this.decoder.error)
    // Backpressure: the next write waits until the reader wants more.
    if (room || this.failure !== null) callback()
    else this.blockedWrite = () => { callback() }
  }

  override _final (callback: (error?: Error | null) => void): void {
    try {
      this.decoder.finish()
      this.push(null)
    } catch (err) {
      this.fail(err as Error)
    }
    callback()
  }

  override _read (): void {
    const write = this.blockedWrite
    this.blockedWrite = null
    write?.()
    if (this.failure === null) return
    if (this.readableLength === 0) this.destroy(this.failure)
    // Still buffered: an empty push lets _read run again once the reader took it.
    else this.push(EMPTY)
  }

  private fail (err: Error): void {
    if (this.failure !== null) return
    this.failure = err
    if (this.readableLength === 0) this.destroy(err)
    // A _read may be pending already (it pushed nothing): an empty push ends it, so the next one comes.
    else this.push(EMPTY)
  }
}

/**
 * A Node stream (a `Duplex`, used like a `Transform`) that verifies a Bao
 * stream and passes on only verified content; it errors (`HASH_MISMATCH`,
 * with the offset) at the first bad node, and with `TRUNCATED` on an early
 * end — only once everything verified before was read. The output pieces are
 * views of the written chunks: do not modify a chunk after writing it.
 */
export function createVerifyTransform (hash: Uint8Array, options: DecoderOptions = {}): Duplex {
  return new VerifyStream(new BaoDecoder(hash, options))
}
