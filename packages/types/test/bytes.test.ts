import { describe, expect, it } from 'vitest'
import { equalBytes } from '../src/index.js'

describe('equalBytes', () => {
  it('compares contents, lengths first', () => {
    const a = Uint8Array.of(1, 2, 3)
    expect(equalBytes(a, a)).toBe(true)
    expect(equalBytes(a, Uint8Array.of(1, 2, 3))).toBe(true)
    expect(equalBytes(a, Uint8Array.of(1, 2, 4))).toBe(false)
    expect(equalBytes(a, Uint8Array.of(1, 2))).toBe(false)
    expect(equalBytes(new Uint8Array(0), new Uint8Array(0))).toBe(true)
  })
})
