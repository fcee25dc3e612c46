import { describe, expect, it } from 'vitest'
import { aead as noble } from '../src/lib/aead-noble.js'
import { aead as sodium } from '../src/lib/aead-sodium.js'
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

  it('seals the same bytes with libsodium (Node) and noble (browsers): either opens what the other sealed', () => {
    const key = new Uint8Array(32).fill(5)
    const nonce = new Uint8Array(24).fill(6)
    const plain = new TextEncoder().encode('a group of plaintext')
    expect(sodium.seal(key, nonce, plain)).toEqual(noble.seal(key, nonce, plain))
    expect(noble.open(key, nonce, sodium.seal(key, nonce, plain))).toEqual(plain)
    expect(sodium.open(key, nonce, noble.seal(key, nonce, plain))).toEqual(plain)
    expect(sodium.open(key, nonce, new Uint8Array(5))).toBe(null)
    expect(noble.open(new Uint8Array(32), nonce, sodium.seal(key, nonce, plain))).toBe(null)
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
