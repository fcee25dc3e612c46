import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import c from 'compact-encoding'
import { decode, encode, ErrorCode, jsonCodec, stringCodec } from '@lume/types'
import { requestHash, answerMessage } from '../src/signed.js'
import { requestEnvelope, responseEnvelope } from '../src/internal.js'
import { encodeAnswer, encodeRequest } from '../src/lib/answer-encoding.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

// Golden bytes for docs/protocol.md, "RPC".
describe('RPC envelopes', () => {
  it('request: version ‖ flags ‖ body', () => {
    expect(hex(encode(requestEnvelope, { sign: true, body: Uint8Array.of(0xaa, 0xbb) }))).toBe('0101aabb')
    expect(hex(encode(requestEnvelope, { sign: false, body: new Uint8Array(0) }))).toBe('0100')
    expect(hex(encodeRequest(stringCodec, 'hi', true))).toBe('0101' + '026869')
    expect(decode(requestEnvelope, Uint8Array.of(1, 1, 7))).toEqual({ sign: true, body: Uint8Array.of(7) })
  })

  it('responses: OK, ERROR, STREAM, END', () => {
    expect(hex(encode(responseEnvelope, { kind: 0, body: Uint8Array.of(5), signature: null }))).toBe('0100' + '00' + '0105')
    expect(hex(encodeAnswer(stringCodec, 'hi').bytes)).toBe('0100' + '00' + '03' + '026869')
    expect(hex(encode(responseEnvelope, { kind: 1, error: { code: ErrorCode.TIMEOUT, message: 'x' } }))).toBe('0101' + '0754494d454f5554' + '0178')
    expect(hex(encode(responseEnvelope, { kind: 2, streamId: 300 }))).toBe('0102' + 'fd2c01')
    expect(hex(encode(responseEnvelope, { kind: 3 }))).toBe('0103')
  })

  it('signed OK: body, then timestamp ‖ signature ‖ index ‖ count ‖ siblings', () => {
    const signature = new Uint8Array(64).fill(0x11)
    const sibling = new Uint8Array(32).fill(0x22)
    const bytes = encode(responseEnvelope, { kind: 0, body: Uint8Array.of(9), signature: { timestamp: 1000, signature, proof: { index: 1, count: 2, siblings: [sibling] } } })
    expect(hex(bytes)).toBe('0100' + '01' + '0109' + 'fde803' + '11'.repeat(64) + '01' + '02' + '01' + '22'.repeat(32))
    expect(decode(responseEnvelope, bytes)).toMatchObject({ kind: 0, signature: { timestamp: 1000, proof: { index: 1, count: 2 } } })
  })

  it('reject other versions, unknown kinds, and trailing bytes', () => {
    for (const bad of [[2, 0], [1, 9], [1, 3, 0]]) {
      expect(() => decode(responseEnvelope, Uint8Array.from(bad)), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'BAD_FRAME' }))
    }
    expect(() => decode(requestEnvelope, Uint8Array.of(0, 0))).toThrow(expect.objectContaining({ code: 'BAD_FRAME' }))
  })

  it('hash requests as SHA-256(string method ‖ body) and lay out leaf data as documented', () => {
    const body = encode(jsonCodec, { a: 1 })
    const expected = Buffer.from(c.encode(c.string, 'x.y')).toString('hex') + hex(body)
    expect(hex(requestHash('x.y', body))).toBe(createHash('sha256').update(Buffer.from(expected, 'hex')).digest('hex'))
    const leaf = answerMessage(new Uint8Array(32).fill(1), new Uint8Array(32).fill(2), 258, Uint8Array.of(7))
    expect(hex(leaf)).toBe('01'.repeat(32) + '02'.repeat(32) + '0201000000000000' + '07')
    // A timestamp past 2^32 fills the high half too (little-endian u64).
    const late = answerMessage(new Uint8Array(32), new Uint8Array(32), 2 ** 40 + 258, new Uint8Array(0))
    expect(hex(late.subarray(64))).toBe('0201000000010000')
  })
})
