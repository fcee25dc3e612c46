import { LumeError } from '@lume/types'
import type { GroupCutter } from './encryption.js'

/** A WHATWG ReadableStream over an async iterator: pulled on demand, and cancelling it ends the iterator. */
export function iteratorStream (iterator: AsyncIterator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull (controller) {
      try {
        const { value, done } = await iterator.next()
        if (done === true) controller.close()
        else controller.enqueue(value)
      } catch (err) {
        controller.error(err)
      }
    },
    async cancel () {
      await iterator.return?.()
    }
  }, { highWaterMark: 0 })
}

/** The bytes of an async iterable of pieces, cut to [skip, skip + count). */
export async function * trim (pieces: AsyncIterable<Uint8Array>, skip: number, count: number): AsyncGenerator<Uint8Array> {
  let seen = 0
  let given = 0
  for await (const piece of pieces) {
    const from = Math.max(0, skip - seen)
    seen += piece.byteLength
    if (from >= piece.byteLength) continue
    const part = piece.subarray(from, Math.min(piece.byteLength, from + count - given))
    given += part.byteLength
    if (part.byteLength > 0) yield part
    if (given >= count) return
  }
}

/** Re-cut a stream of pieces into pieces of exactly `size` bytes (the last may be shorter). */
export async function * rechunk (pieces: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let buffer = new Uint8Array(size)
  let filled = 0
  for await (const piece of pieces) {
    let at = 0
    while (at < piece.byteLength) {
      const n = Math.min(size - filled, piece.byteLength - at)
      buffer.set(piece.subarray(at, at + n), filled)
      filled += n
      at += n
      if (filled === size) {
        yield buffer
        buffer = new Uint8Array(size)
        filled = 0
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled)
}

/** The pieces of a byte array, a WHATWG stream or any async iterable, as one async iterable. */
export async function * piecesOf (data: Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (data instanceof Uint8Array) {
    yield data
    return
  }
  if (typeof (data as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (data as ReadableStream<Uint8Array>).getReader()
    try {
      while (true) {
        const { value, done } = await reader.read()
        if (done) return
        yield value
      }
    } finally {
      reader.releaseLock()
    }
  }
  yield * (data as AsyncIterable<Uint8Array>)
}

/** The pieces through a group cutter (sealing or opening), then its final group. */
export async function * sealed (pieces: AsyncIterable<Uint8Array>, cutter: GroupCutter): AsyncGenerator<Uint8Array> {
  for await (const piece of pieces) yield * cutter.push(piece)
  yield * cutter.finish()
}

/** The pieces, failing if they come to more than `size` bytes. */
export async function * checked (pieces: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let seen = 0
  for await (const piece of pieces) {
    seen += piece.byteLength
    if (seen > size) throw LumeError.tooLarge('stream', seen, size)
    yield piece
  }
}
