import { expect, it } from 'vitest'
import { BaoDecoder, decodeOutboard, encode, groupLen, outboard } from '../src/index.js'
import { forEachKernel } from './kernels.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
function content (len: number): Uint8Array {
  const out = new Uint8Array(len)
  let x = 3
  for (let i = 0; i < len; i++) { x = (x * 1103515245 + 12345) >>> 0; out[i] = x >>> 24 }
  return out
}
function decodePieces (bytes: Uint8Array, hash: Uint8Array, k: number, piece: number): { out: Uint8Array, error: unknown } {
  const decoder = new BaoDecoder(hash, { k })
  const parts: Uint8Array[] = []
  let error: unknown = null
  try {
    for (let at = 0; at < bytes.length; at += piece) parts.push(...decoder.push(bytes.subarray(at, at + piece)))
    decoder.finish()
  } catch (err) { error = err }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) { out.set(p, at); at += p.length }
  return { out, error }
}

forEachKernel(() => {
  it.each([7, 8])('groups over 64 KiB (k = %i), gathered from pieces: verified, and a flipped byte in any block caught', (k) => {
    const group = groupLen(k)
    for (const len of [group * 2 + 70_001, group, group + 1, 65_536 * 2]) {
      const data = content(len)
      const enc = encode(data, { k })
      for (const piece of [10_000, 65_536, 1 << 20]) {
        const good = decodePieces(enc.bytes, enc.hash, k, piece)
        expect(good.error, `len ${len} piece ${piece}`).toBeNull()
        expect(hex(good.out)).toBe(hex(data))
      }
    }
    const data = content(group * 3 + 12_345)
    const enc = encode(data, { k })
    // Layout: header, root parent, left parent, group 0, group 1, right parent, groups 2 and 3.
    const header = 8 + 64 * 2
    // Group 1: in its first block, in a middle block, its last byte.
    for (const inGroup of [5, 65_536 + 3, group - 1]) {
      const bad = Uint8Array.from(enc.bytes)
      const at = header + group + inGroup
      bad[at]! ^= 1
      const { out, error } = decodePieces(bad, enc.hash, k, 10_000)
      expect(error, `byte ${inGroup} of group 1`).toMatchObject({ code: 'HASH_MISMATCH', details: { offset: group } })
      expect(hex(out)).toBe(hex(data.subarray(0, group)))
    }
  })

  it('k = 0 over 2 MiB in one piece and as an outboard (many batches of chunks and parents); a bad parent deep in the tree is caught', () => {
    const data = content((2 << 20) + 5555)
    const enc = encode(data)
    const whole = decodePieces(enc.bytes, enc.hash, 0, enc.bytes.length)
    expect(whole.error).toBeNull()
    expect(hex(whole.out)).toBe(hex(data))
    const ob = outboard(data)
    expect(hex(decodeOutboard(data, ob.bytes, ob.hash))).toBe(hex(data))
    // The parent over chunks 1234 and 1235: at 8 + 64·(parents before it) + 1024·1234 in the encoding.
    const chunk = 1234
    let parentsBefore = 0
    const count = (start: number, len: number): boolean => {
      if (len <= 1024) return start === chunk * 1024
      let left = 1024
      while (left * 2 < len) left *= 2
      if (start === chunk * 1024 && len === 2048) return true
      parentsBefore++
      return count(start, left) || count(start + left, len - left)
    }
    expect(count(0, data.length)).toBe(true)
    const bad = Uint8Array.from(enc.bytes)
    bad[8 + 64 * parentsBefore + 1024 * chunk + 3]! ^= 1
    const { out, error } = decodePieces(bad, enc.hash, 0, 65_536)
    expect(error).toMatchObject({ code: 'HASH_MISMATCH', details: { offset: chunk * 1024, node: 'parent node' } })
    expect(hex(out)).toBe(hex(data.subarray(0, chunk * 1024)))
  })
})
