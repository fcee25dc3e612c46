import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ErrorCode, LumeError, fromHex, toHex } from '../src/index.js'

describe('hex', () => {
  it('round-trips any bytes and agrees with an independent encoder', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 20_000 }), (bytes) => {
      const hex = toHex(bytes)
      expect(hex).toBe(Buffer.from(bytes).toString('hex'))
      expect(fromHex(hex)).toEqual(bytes)
      expect(fromHex(hex.toUpperCase())).toEqual(bytes)
    }), { numRuns: 300 })
  })

  it('refuses odd lengths, non-hex characters and wrong lengths with INVALID_ARGUMENT', () => {
    for (const bad of ['a', 'zz', '0g', ' 00', '0x00', 'é0', '\u0100\u0100']) {
      expect(() => fromHex(bad), bad).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }))
    }
    expect(() => fromHex('0011', 3)).toThrow(LumeError)
  })

  it('makes strings a map can keep cheaply (a 32-byte key costs well under 300 bytes, not a rope of one node per byte)', () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const keys = new Map<string, number>()
    const bytes = new Uint8Array(32)
    gc()
    const before = process.memoryUsage().heapUsed
    const n = 20_000
    for (let i = 0; i < n; i++) {
      new DataView(bytes.buffer).setUint32(0, i)
      keys.set(toHex(bytes), i)
    }
    gc()
    const perKey = (process.memoryUsage().heapUsed - before) / n
    expect(keys.size).toBe(n)
    expect(perKey).toBeLessThan(300)
  })
})
