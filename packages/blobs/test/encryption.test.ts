import { describe, expect, it } from 'vitest'
import { decodeLink, encodeLink, openGroup, PLAIN_GROUP_BYTES, plainSize, sealGroup, sealedSize, TAG_BYTES, GROUP_BYTES } from '../src/index.js'

describe('per-group encryption and share links', () => {
  it('seals whole groups to exactly one Bao chunk group, and sizes invert at every boundary', () => {
    expect(PLAIN_GROUP_BYTES + TAG_BYTES).toBe(GROUP_BYTES)
    for (const n of [0, 1, PLAIN_GROUP_BYTES - 1, PLAIN_GROUP_BYTES, PLAIN_GROUP_BYTES + 1, 5 * PLAIN_GROUP_BYTES, 5 * PLAIN_GROUP_BYTES + 3]) {
      expect(plainSize(sealedSize(n))).toBe(n)
    }
    expect(sealedSize(0)).toBe(TAG_BYTES)
    // Sizes no plaintext seals to are refused.
    for (const bad of [0, TAG_BYTES - 1, GROUP_BYTES + 3]) expect(() => plainSize(bad)).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }))
  })

  it('binds each group to its index and to being last: moved, cut or tampered groups do not open', () => {
    const key = new Uint8Array(32).fill(1)
    const plain = new Uint8Array(PLAIN_GROUP_BYTES).fill(9)
    const sealed = sealGroup(key, 3, false, plain)
    expect(openGroup(key, 3, false, sealed)).toEqual(plain)
    expect(() => openGroup(key, 4, false, sealed)).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }))
    expect(() => openGroup(key, 3, true, sealed)).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }))
    const flipped = sealed.slice()
    flipped[10]! ^= 1
    expect(() => openGroup(key, 3, false, flipped)).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }))
    expect(() => openGroup(new Uint8Array(32), 3, false, sealed)).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }))
  })

  it('round-trips share links and refuses anything else', () => {
    const hash = new Uint8Array(32).fill(0xab)
    const key = new Uint8Array(32).fill(0x01)
    expect(encodeLink({ hash })).toBe(`lume://blob/${'ab'.repeat(32)}`)
    expect(decodeLink(encodeLink({ hash, key }))).toEqual({ hash, key })
    expect(decodeLink(encodeLink({ hash }))).toEqual({ hash })
    for (const bad of ['', 'lume://blob/ab', `https://blob/${'ab'.repeat(32)}`, `lume://blob/${'ab'.repeat(32)}#key=00`]) {
      expect(() => decodeLink(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
    }
  })
})
