import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { describe, expect, it } from 'vitest'
import { BaoDecoder, createDecoderStream, encode, outboard, slice } from '../src/index.js'
import { createVerifyTransform, outboardFromStream } from '../src/node/index.js'
import { forEachKernel } from './kernels.js'
import { concat } from './bytes.js'
import { nodeStartOf } from './layout.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
let seed = 42
const random = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n }
function content (len: number): Uint8Array {
  return Uint8Array.from({ length: len }, () => random(256))
}
/** Cut `bytes` at random points into 1..maxPiece-byte pieces. */
function pieces (bytes: Uint8Array, maxPiece: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let at = 0; at < bytes.length;) {
    const n = 1 + random(maxPiece)
    out.push(bytes.subarray(at, at + n))
    at += n
  }
  return out
}

forEachKernel(() => describe('streaming decode', () => {
  it('verifies combined encodings delivered in random pieces (k = 0 and 4)', () => {
    for (const k of [0, 4]) {
      for (const len of [0, 1, 1024, 1025, 70_000, 300_001]) {
        const data = content(len)
        const enc = encode(data, { k })
        const decoder = new BaoDecoder(enc.hash, { k })
        const out = pieces(enc.bytes, 5000).flatMap((p) => decoder.push(p))
        decoder.finish()
        expect(hex(concat(out)), `k=${k} len=${len}`).toBe(hex(data))
        expect(decoder.contentLength).toBe(len)
      }
    }
  })

  it('verifies content against an outboard, in random pieces', () => {
    const data = content(123_456)
    const ob = outboard(data, { k: 4 })
    const decoder = new BaoDecoder(ob.hash, { k: 4, outboard: ob.bytes })
    const out = pieces(data, 9000).flatMap((p) => decoder.push(p))
    decoder.finish()
    expect(hex(concat(out))).toBe(hex(data))
  })

  it('verifies slices delivered in pieces', () => {
    const data = content(50_000)
    const enc = encode(data)
    const cut = slice(enc.bytes, 12_345, 20_000)
    const decoder = new BaoDecoder(enc.hash, { range: { start: 12_345, len: 20_000 } })
    const out = pieces(cut, 700).flatMap((p) => decoder.push(p))
    decoder.finish()
    expect(hex(concat(out))).toBe(hex(data.subarray(12_345, 32_345)))
  })

  it('catches a corrupted byte at a random offset in 1,000 trials, emitting exactly the verified prefix', () => {
    for (let trial = 0; trial < 1000; trial++) {
      const k = trial % 2 === 0 ? 0 : 2
      const group = 1024 * 2 ** k
      const len = 1 + random(40_000)
      const data = content(len)
      const enc = encode(data, { k })
      const at = random(enc.bytes.length)
      const bad = Uint8Array.from(enc.bytes)
      bad[at]! ^= 1 + random(255)
      const decoder = new BaoDecoder(enc.hash, { k })
      const emitted: Uint8Array[] = []
      let error: unknown = null
      try {
        for (const piece of pieces(bad, 3000)) emitted.push(...decoder.push(piece))
        decoder.finish()
      } catch (err) {
        error = err
      }
      expect(decoder.error ?? error).toBe(error)
      expect(error, `trial ${trial}: corruption at ${at} of ${enc.bytes.length} not caught`).not.toBeNull()
      const out = concat(emitted)
      // Only verified bytes came out: a true prefix of the content…
      expect(hex(out), `trial ${trial}`).toBe(hex(data.subarray(0, out.length)))
      // …that stops before the node holding the corrupted byte, and is all of
      // the content before the node that failed: nothing verified is held back.
      if (at >= 8) expect(out.length, `trial ${trial}`).toBeLessThanOrEqual(nodeStartOf(len, group)[at]!)
      const failedAt = (error as { details?: { offset?: number } }).details?.offset
      if (failedAt !== undefined) expect(out.length, `trial ${trial}`).toBe(failedAt)
      if (at >= 8) expect((error as { code: string }).code).toBe('HASH_MISMATCH')
    }
  })

  it('fails truncated input with TRUNCATED (never a short success)', () => {
    const data = content(5000)
    const enc = encode(data)
    for (const cutAt of [0, 7, 8, 71, 72, 1000, enc.bytes.length - 1]) {
      const decoder = new BaoDecoder(enc.hash)
      decoder.push(enc.bytes.subarray(0, cutAt))
      expect(() => decoder.finish(), `cut at ${cutAt}`).toThrow(expect.objectContaining({ code: 'TRUNCATED' }))
      expect(decoder.contentLength).toBeNull()
    }
  })

  it('ignores trailing garbage after the last node', () => {
    const data = content(3000)
    const enc = encode(data)
    const decoder = new BaoDecoder(enc.hash)
    const out = decoder.push(concat([enc.bytes, new Uint8Array(100).fill(9)]))
    decoder.finish()
    expect(hex(concat(out))).toBe(hex(data))
  })

  it('verifies the empty input (its empty chunk), and rejects it under another hash', () => {
    const enc = encode(new Uint8Array(0))
    const ok = new BaoDecoder(enc.hash)
    expect(ok.push(enc.bytes)).toEqual([])
    ok.finish()
    const other = new BaoDecoder(encode(Uint8Array.of(1)).hash)
    expect(other.push(enc.bytes)).toEqual([])
    expect(other.error).toMatchObject({ code: 'HASH_MISMATCH' })
    expect(() => other.finish()).toThrow(expect.objectContaining({ code: 'HASH_MISMATCH' }))
  })
}))

describe('stream adapters', () => {
  it('WHATWG TransformStream passes verified bytes and errors at the first bad one', async () => {
    const data = content(100_000)
    const enc = encode(data)
    const read = async (bytes: Uint8Array): Promise<{ out: Uint8Array, error: unknown }> => {
      const source = new ReadableStream<Uint8Array>({ start (c) { for (const p of pieces(bytes, 8000)) c.enqueue(p); c.close() } })
      const reader = source.pipeThrough(createDecoderStream(enc.hash)).getReader()
      const parts: Uint8Array[] = []
      try {
        for (;;) { const { done, value } = await reader.read(); if (done) break; parts.push(value) }
        return { out: concat(parts), error: null }
      } catch (error) {
        return { out: concat(parts), error }
      }
    }
    const good = await read(enc.bytes)
    expect(good.error).toBeNull()
    expect(hex(good.out)).toBe(hex(data))
    const bad = Uint8Array.from(enc.bytes)
    bad[bad.length - 10]! ^= 1
    const broken = await read(bad)
    expect(broken.error).toMatchObject({ code: 'HASH_MISMATCH' })
    expect(hex(broken.out)).toBe(hex(data.subarray(0, broken.out.length)))
    expect(broken.out.length).toBeGreaterThan(90_000)
  })

  it('Node Transform verifies and errors the pipeline on corruption', async () => {
    const data = content(64_000)
    const enc = encode(data, { k: 4 })
    const parts: Uint8Array[] = []
    await pipeline(Readable.from(pieces(enc.bytes, 4000)), createVerifyTransform(enc.hash, { k: 4 }), async function * (source) { for await (const p of source) parts.push(p as Uint8Array); yield * [] })
    expect(hex(concat(parts))).toBe(hex(data))
    const bad = Uint8Array.from(enc.bytes)
    bad[20]! ^= 1
    await expect(pipeline(Readable.from([bad]), createVerifyTransform(enc.hash, { k: 4 }), async function * (source) { for await (const piece of source) { void piece /* drain */ } yield * [] }))
      .rejects.toMatchObject({ code: 'HASH_MISMATCH' })
  })

  it('builds an outboard from a Node stream that equals the one-shot outboard', async () => {
    const data = content(200_000)
    const built = await outboardFromStream(Readable.from(pieces(data, 10_000)), { k: 4 })
    expect(hex(built.bytes)).toBe(hex(outboard(data, { k: 4 }).bytes))
  })
})
