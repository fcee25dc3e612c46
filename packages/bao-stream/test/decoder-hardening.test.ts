import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createVerifyTransform } from '../src/node/index.js'
import { BaoDecoder, createDecoderStream, decode, decodeSlice, encode, encodedLen, groupLen, outboardLen, outboard, slice, sliceOutboard, OutboardEncoder } from '../src/index.js'
import { concat } from './bytes.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
function content (len: number, seed = 5): Uint8Array {
  const out = new Uint8Array(len)
  let x = seed
  for (let i = 0; i < len; i++) { x = (x * 1103515245 + 12345) >>> 0; out[i] = x >>> 24 }
  return out
}
function split (bytes: Uint8Array, piece: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let at = 0; at < bytes.length; at += piece) out.push(bytes.subarray(at, at + piece))
  return out
}

afterEach(() => { vi.restoreAllMocks() })

describe('incremental decode copies each byte a bounded number of times', () => {
  it.each([0, 4, 8])('k = %i, 1 KiB pieces: bytes copied stay linear in the input', (k) => {
    const data = content(groupLen(k) * 2 + 777)
    const enc = encode(data, { k })
    // Count what the decoder copies while it gathers nodes split across pieces.
    let copied = 0
    const set = Uint8Array.prototype.set
    vi.spyOn(Uint8Array.prototype, 'set').mockImplementation(function (this: Uint8Array, source: ArrayLike<number>, offset?: number) {
      copied += source.length
      set.call(this, source, offset)
    })
    const decoder = new BaoDecoder(enc.hash, { k })
    const out = split(enc.bytes, 1024).flatMap((p) => decoder.push(p))
    decoder.finish()
    vi.restoreAllMocks()
    expect(hex(concat(out))).toBe(hex(data))
    // Gathering with a doubling buffer copies each byte at most twice, hashing may copy it
    // once more; re-copying the partial group on every push would be ~group/2 KiB times.
    expect(copied).toBeLessThanOrEqual(4 * enc.bytes.length)
  })

  it('does not allocate a group from the untrusted header before its bytes arrive', () => {
    const enc = encode(content(100), { k: 16 })
    const forged = Uint8Array.from(enc.bytes)
    new DataView(forged.buffer).setBigUint64(0, 2n ** 40n, true)
    const decoder = new BaoDecoder(enc.hash, { k: 16 })
    const created: number[] = []
    const Real = globalThis.Uint8Array
    // Record large allocations the decoder makes for gathering.
    const spy = vi.spyOn(globalThis, 'Uint8Array').mockImplementation(function (...args: unknown[]) {
      if (typeof args[0] === 'number') created.push(args[0])
      return Reflect.construct(Real, args, new.target ?? Real) as Uint8Array
    } as unknown as typeof Uint8Array)
    try {
      decoder.push(forged.subarray(0, 8 + 1000))
    } finally {
      spy.mockRestore()
    }
    expect(Math.max(0, ...created)).toBeLessThan(1 << 20)
  })
})

describe('the WHATWG stream hands out every verified byte before it errors', () => {
  async function read (stream: ReadableStream<Uint8Array>): Promise<{ out: Uint8Array, error: unknown }> {
    const reader = stream.getReader()
    const parts: Uint8Array[] = []
    try {
      for (;;) { const { done, value } = await reader.read(); if (done) break; parts.push(value) }
      return { out: concat(parts), error: null }
    } catch (error) {
      return { out: concat(parts), error }
    }
  }

  it.each([1 << 20, 700, 64])('n = 5000, k = 0, last byte flipped, %i-byte pieces: 4,096 bytes then HASH_MISMATCH', async (piece) => {
    const data = content(5000)
    const enc = encode(data)
    const bad = Uint8Array.from(enc.bytes)
    bad[bad.length - 1]! ^= 1
    const decoder = new BaoDecoder(enc.hash)
    const direct = concat(split(bad, piece).flatMap((p) => decoder.push(p)))
    expect(direct.length).toBe(4096)
    const source = new ReadableStream<Uint8Array>({ start (c) { for (const p of split(bad, piece)) c.enqueue(p); c.close() } })
    const { out, error } = await read(source.pipeThrough(createDecoderStream(enc.hash)))
    expect(error).toMatchObject({ code: 'HASH_MISMATCH' })
    expect(hex(out)).toBe(hex(data.subarray(0, 4096)))
  })

  it('a slow reader still gets everything verified, then TRUNCATED', async () => {
    const data = content(20_000)
    const enc = encode(data, { k: 2 })
    const source = new ReadableStream<Uint8Array>({ start (c) { c.enqueue(enc.bytes.subarray(0, enc.bytes.length - 10)); c.close() } })
    const reader = source.pipeThrough(createDecoderStream(enc.hash, { k: 2 })).getReader()
    const parts: Uint8Array[] = []
    let error: unknown = null
    // Let the writable side run to its end before reading anything.
    await new Promise((resolve) => setImmediate(resolve))
    try {
      for (;;) { const { done, value } = await reader.read(); if (done) break; parts.push(value) }
    } catch (err) { error = err }
    expect(error).toMatchObject({ code: 'TRUNCATED' })
    expect(hex(concat(parts))).toBe(hex(data.subarray(0, 16 * 1024)))
  })

  it('a reader that cancels stops the pipe: the source is cancelled too', async () => {
    const enc = encode(content(50_000))
    let sourceCancelled: unknown = null
    const source = new ReadableStream<Uint8Array>({
      pull (c) { c.enqueue(enc.bytes.subarray(0, 2048)) },
      cancel (reason) { sourceCancelled = reason }
    })
    const reader = source.pipeThrough(createDecoderStream(enc.hash)).getReader()
    await reader.read()
    await reader.cancel('enough')
    await new Promise((resolve) => setImmediate(resolve))
    expect(sourceCancelled).toBe('enough')
  })
})

describe('the Node stream hands out every verified byte before it errors', () => {
  const data = content(5000)
  const enc = encode(data)
  const bad = Uint8Array.from(enc.bytes)
  bad[bad.length - 1]! ^= 1

  it.each([1 << 20, 700])('last byte flipped, %i-byte pieces: 4,096 bytes then HASH_MISMATCH', async (piece) => {
    const parts: Uint8Array[] = []
    await expect(pipeline(Readable.from(split(bad, piece)), createVerifyTransform(enc.hash), async function * (source) { for await (const p of source) parts.push(p as Uint8Array); yield * [] }))
      .rejects.toMatchObject({ code: 'HASH_MISMATCH' })
    expect(hex(concat(parts))).toBe(hex(data.subarray(0, 4096)))
  })

  it('truncated: everything verified, then TRUNCATED', async () => {
    const parts: Uint8Array[] = []
    await expect(pipeline(Readable.from([enc.bytes.subarray(0, enc.bytes.length - 5)]), createVerifyTransform(enc.hash), async function * (source) { for await (const p of source) parts.push(p as Uint8Array); yield * [] }))
      .rejects.toMatchObject({ code: 'TRUNCATED' })
    expect(hex(concat(parts))).toBe(hex(data.subarray(0, 4096)))
  })

  it('a slow reader with many pieces buffered gets them all, in order', async () => {
    const big = content(300_000)
    const e = encode(big, { k: 2 })
    const stream = createVerifyTransform(e.hash, { k: 2 })
    const source = Readable.from(split(e.bytes, 3000))
    source.pipe(stream)
    await new Promise((resolve) => setImmediate(resolve))
    const parts: Uint8Array[] = []
    for await (const p of stream) parts.push(p as Uint8Array)
    expect(hex(concat(parts))).toBe(hex(big))
  })
})

describe('outputs do not alias the caller\'s buffers', () => {
  it('decode and decodeSlice return copies', () => {
    const data = content(3000)
    const enc = encode(data)
    const decoded = decode(enc.bytes, enc.hash)
    enc.bytes.fill(0)
    expect(hex(decoded)).toBe(hex(data))
    const enc2 = encode(data)
    const cut = slice(enc2.bytes, 100, 200)
    const part = decodeSlice(cut, enc2.hash, 100, 200)
    cut.fill(0)
    expect(hex(part)).toBe(hex(data.subarray(100, 300)))
  })

  it('sliceOutboard returns a new buffer', () => {
    const data = content(3000)
    const ob = outboard(data)
    const cut = sliceOutboard(data, ob.bytes, 0, 10)
    expect(cut.buffer).not.toBe(data.buffer)
    expect(cut.buffer).not.toBe(ob.bytes.buffer)
  })
})

describe('bad arguments are INVALID_ARGUMENT', () => {
  const enc = encode(content(5000))
  const invalid = expect.objectContaining({ code: 'INVALID_ARGUMENT' })

  it.each([-1, 1.5, 17, Number.NaN])('k = %s', (k) => {
    expect(() => new BaoDecoder(enc.hash, { k })).toThrow(invalid)
    expect(() => encode(content(10), { k })).toThrow(invalid)
    expect(() => outboard(content(10), { k })).toThrow(invalid)
    expect(() => new OutboardEncoder({ k })).toThrow(invalid)
    expect(() => slice(enc.bytes, 0, 10, { k })).toThrow(invalid)
    expect(() => groupLen(k)).toThrow(invalid)
  })

  it.each([[-1, 10], [1.5, 10], [0, -1], [0, 0.5], [Number.NaN, 1], [0, Infinity]])('range start %s, length %s', (start, len) => {
    expect(() => new BaoDecoder(enc.hash, { range: { start, len } })).toThrow(invalid)
    expect(() => decodeSlice(enc.bytes, enc.hash, start, len)).toThrow(invalid)
    expect(() => slice(enc.bytes, start, len)).toThrow(invalid)
  })

  it.each([-1, 1.5, Number.NaN, 2 ** 53])('content length %s in the size helpers', (len) => {
    expect(() => encodedLen(len)).toThrow(invalid)
    expect(() => outboardLen(len, 4)).toThrow(invalid)
  })

  it('a hash of the wrong size, and a bad length without header', () => {
    expect(() => new BaoDecoder(new Uint8Array(31))).toThrow(invalid)
    expect(() => new BaoDecoder(enc.hash, { header: false, length: -3 })).toThrow(invalid)
    expect(() => new BaoDecoder(enc.hash, { header: false, length: 2.5 })).toThrow(invalid)
  })
})
