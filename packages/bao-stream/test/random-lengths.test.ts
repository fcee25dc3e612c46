import { expect, it } from 'vitest'
import { blake3 as noble } from '@noble/hashes/blake3.js'
import { decode, encode, hash } from '../src/index.js'
import { forEachKernel } from './kernels.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
let seed = 7
const random = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n }

forEachKernel(() => {
  it('hashes 150 random lengths (and offsets into a larger buffer) like @noble/hashes', () => {
    const pool = Uint8Array.from({ length: 400_003 }, () => random(256))
    for (let trial = 0; trial < 150; trial++) {
      const len = trial < 50 ? random(10_000) : random(400_000)
      const at = random(3)
      const data = pool.subarray(at, at + len)
      expect(hex(hash(data)), `len ${len} at ${at}`).toBe(hex(noble(data)))
      if (trial % 10 === 0) {
        const k = random(5)
        const enc = encode(data, { k })
        expect(hex(enc.hash)).toBe(hex(noble(data)))
        expect(hex(decode(enc.bytes, enc.hash, { k }))).toBe(hex(data))
      }
    }
  })
})
