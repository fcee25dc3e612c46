import { describe, expect, it } from 'vitest'
import { decode, encode, toHex } from '@lume/types'
import { BlobMethods, pinMessage } from '../src/index.js'

const h = (byte: number, n = 32): Uint8Array => new Uint8Array(n).fill(byte)
const hex = (byte: string, n = 32): string => byte.repeat(n)
/** Decoded byte fields as plain Uint8Arrays (decoders may hand out Buffers). */
const plain = (v: unknown): unknown => v instanceof Uint8Array
  ? new Uint8Array(v)
  : Array.isArray(v) ? v.map(plain) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) : v

describe('blob wire messages, byte for byte (docs/protocol.md, "Blobs")', () => {
  const cases: Array<{ name: string, bytes: string, run: () => [Uint8Array, unknown, unknown] }> = [
    { name: 'begin', bytes: `fe00001000${hex('aa')}`, run: () => [encode(BlobMethods.begin.request, { size: 1_048_576, owner: h(0xaa) }), BlobMethods.begin.request, { size: 1_048_576, owner: h(0xaa) }] },
    { name: 'write', bytes: '070503010203', run: () => [encode(BlobMethods.write.request, { id: 7, offset: 5, bytes: new Uint8Array([1, 2, 3]) }), BlobMethods.write.request, { id: 7, offset: 5, bytes: new Uint8Array([1, 2, 3]) }] },
    { name: 'finish', bytes: `09${hex('01')}${hex('02')}${hex('03', 64)}`, run: () => [encode(BlobMethods.finish.request, { id: 9, owner: h(1), hash: h(2), signature: h(3, 64) }), BlobMethods.finish.request, { id: 9, owner: h(1), hash: h(2), signature: h(3, 64) }] },
    { name: 'pin', bytes: `${hex('01')}${hex('02')}${hex('03', 64)}`, run: () => [encode(BlobMethods.pin.request, { owner: h(1), hash: h(2), signature: h(3, 64) }), BlobMethods.pin.request, { owner: h(1), hash: h(2), signature: h(3, 64) }] },
    { name: 'read', bytes: `${hex('0f')}fd0040fe00004000`, run: () => [encode(BlobMethods.read.request, { hash: h(15), start: 16_384, len: 4_194_304 }), BlobMethods.read.request, { hash: h(15), start: 16_384, len: 4_194_304 }] },
    { name: 'info answer (held)', bytes: '01fd1027', run: () => [encode(BlobMethods.info.response, 10_000), BlobMethods.info.response, 10_000] },
    { name: 'info answer (not here)', bytes: '00', run: () => [encode(BlobMethods.info.response, null), BlobMethods.info.response, null] },
    { name: 'holders answer', bytes: `02${hex('01')}${hex('02')}`, run: () => [encode(BlobMethods.holders.response, [h(1), h(2)]), BlobMethods.holders.response, [h(1), h(2)]] }
  ]
  for (const c of cases) {
    it(`${c.name}: encodes to the documented bytes and back`, () => {
      const [bytes, codec, value] = c.run()
      expect(toHex(bytes)).toBe(c.bytes)
      expect(plain(decode(codec as Parameters<typeof decode>[0], bytes))).toEqual(value)
    })
  }

  it('refuses what does not decode exactly: a bad flag, too many holders, short or trailing bytes', () => {
    expect(() => decode(BlobMethods.info.response, new Uint8Array([2]))).toThrow(expect.objectContaining({ code: 'BAD_FRAME' }))
    expect(() => decode(BlobMethods.holders.response, new Uint8Array([17]))).toThrow(expect.objectContaining({ code: 'BAD_FRAME' }))
    expect(() => decode(BlobMethods.pin.request, new Uint8Array(127))).toThrow(expect.objectContaining({ code: 'BAD_FRAME' }))
    expect(() => decode(BlobMethods.pin.request, new Uint8Array(129))).toThrow(expect.objectContaining({ code: 'BAD_FRAME' }))
  })

  it('signs pins over relay ‖ hash ‖ size (u64 LE)', () => {
    expect(toHex(pinMessage(h(1), h(2), 0x0102030405))).toBe(`${hex('01')}${hex('02')}0504030201000000`)
  })
})
