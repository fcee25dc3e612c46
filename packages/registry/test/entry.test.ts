import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { generateKeyPair } from '@lume/crypto'
import { compareEntries, parseEntry, registryKey, serializeEntry, signEntry } from '../src/index.js'

// node:crypto as the independent ed25519: the same key wrapped in PKCS#8 / SPKI.
const pkcs8 = (seed: Uint8Array) => createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' })
const spki = (pub: Uint8Array) => createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pub]), format: 'der', type: 'spki' })

/** An S5 registry entry built byte by byte from the spec, signed with node:crypto. */
function handMade (seed: Uint8Array, pub: Uint8Array, revision: bigint, data: Uint8Array): Buffer {
  const rev = Buffer.alloc(8)
  rev.writeBigUInt64LE(revision)
  const signed = Buffer.concat([Buffer.from([0x07]), rev, Buffer.from([data.length]), data])
  const signature = nodeSign(null, signed, pkcs8(seed))
  return Buffer.concat([Buffer.from([0x07, 0xed]), pub, rev, Buffer.from([data.length]), data, signature])
}

describe('S5 registry entries', () => {
  const keys = generateKeyPair()
  const seed = keys.secretKey.subarray(0, 32)
  const data = new TextEncoder().encode('hello s5')

  it('parse an entry built by hand from the spec and signed independently', () => {
    const bytes = handMade(seed, keys.publicKey, 42n, data)
    expect(bytes.length).toBe(107 + data.length)
    const entry = parseEntry(bytes)
    expect(entry.revision).toBe(42)
    expect(Buffer.from(entry.pk).equals(Buffer.from(registryKey(keys.publicKey)))).toBe(true)
    expect(Buffer.from(entry.data).toString()).toBe('hello s5')
  })

  it('serialize to the same bytes an independent encoder makes, with a signature node:crypto accepts', () => {
    const entry = signEntry(keys, 42, data)
    const ours = Buffer.from(serializeEntry(entry))
    expect(ours.equals(handMade(seed, keys.publicKey, 42n, data))).toBe(true) // ed25519 is deterministic
    const signed = Buffer.concat([Buffer.from([0x07]), ours.subarray(34, 42), Buffer.from([data.length]), data])
    expect(nodeVerify(null, signed, spki(keys.publicKey), Buffer.from(entry.signature))).toBe(true)
  })

  it('reject bad input with typed errors', () => {
    const good = handMade(seed, keys.publicKey, 7n, data)
    const flip = (at: number): Buffer => { const b = Buffer.from(good); b[at]! ^= 1; return b }
    expect(() => parseEntry(flip(good.length - 1))).toThrow(expect.objectContaining({ code: 'BAD_SIGNATURE' }))
    expect(() => parseEntry(flip(45))).toThrow(expect.objectContaining({ code: 'BAD_SIGNATURE' })) // data changed
    expect(() => parseEntry(flip(34))).toThrow(expect.objectContaining({ code: 'BAD_SIGNATURE' })) // revision changed
    const wrongKeyType = Buffer.from(good); wrongKeyType[1] = 0xe1
    expect(() => parseEntry(wrongKeyType)).toThrow(expect.objectContaining({ code: 'BAD_FRAME' }))
    const wrongRecord = Buffer.from(good); wrongRecord[0] = 0x08
    expect(() => parseEntry(wrongRecord)).toThrow(expect.objectContaining({ code: 'BAD_FRAME' }))
    expect(() => parseEntry(good.subarray(0, good.length - 1))).toThrow(expect.objectContaining({ code: 'BAD_FRAME' }))
    expect(() => parseEntry(good.subarray(0, 50))).toThrow(expect.objectContaining({ code: 'BAD_FRAME' }))
    expect(() => parseEntry(handMade(seed, keys.publicKey, 2n ** 48n + 1n, data))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
    expect(parseEntry(handMade(seed, keys.publicKey, 2n ** 48n, data)).revision).toBe(2 ** 48)
    expect(() => parseEntry(handMade(seed, keys.publicKey, 1n, new Uint8Array(65)))).toThrow(expect.objectContaining({ code: 'TOO_LARGE' }))
    expect(parseEntry(handMade(seed, keys.publicKey, 1n, new Uint8Array(65)), 100).data.length).toBe(65)
    expect(() => signEntry(keys, 1, new Uint8Array(65))).toThrow(expect.objectContaining({ code: 'TOO_LARGE' }))
    expect(() => signEntry(keys, 2 ** 48 + 1, data)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
  })

  it('order entries: revision first, then the larger signature', () => {
    const a = signEntry(keys, 3, data)
    const b = signEntry(keys, 3, new TextEncoder().encode('other'))
    expect(compareEntries(signEntry(keys, 4, data), a)).toBeGreaterThan(0)
    expect(compareEntries(a, a)).toBe(0)
    expect(Math.sign(compareEntries(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a.signature), Buffer.from(b.signature))))
  })
})
