import { describe, expect, it } from 'vitest'
import c from 'compact-encoding'
import { ErrorCode, LumeError, cappedArray, decode, encode, fromWireError, uintCodec, wireErrorCodec } from '../src/index.js'

describe('LumeError', () => {
  it('carries a stable code outside its message', () => {
    const err = LumeError.timeout('ping', 50)
    expect(err.code).toBe('TIMEOUT')
    expect(err.message).toBe('ping timed out after 50 ms')
    expect(err.message).not.toContain('TIMEOUT')
    expect(err.details).toEqual({ ms: 50 })
  })

  it('is recognised across copies of the package by its marker', () => {
    const err = new LumeError(ErrorCode.CLOSED, 'x')
    const copy = Object.assign(Object.create(null) as object, { [Symbol.for('@lume/types/LumeError')]: true })
    expect(LumeError.isInstance(err)).toBe(true)
    expect(LumeError.isInstance(copy)).toBe(true)
    expect(LumeError.isInstance(new Error('x'))).toBe(false)
    expect(LumeError.isInstance(null)).toBe(false)
    expect(LumeError.hasCode(err, ErrorCode.CLOSED)).toBe(true)
    expect(LumeError.hasCode(err, ErrorCode.TIMEOUT)).toBe(false)
  })

  it('serialises without a stack', () => {
    const json = JSON.stringify(new LumeError(ErrorCode.BAD_FRAME, 'nope', { cause: new Error('inner') }))
    expect(JSON.parse(json)).toEqual({ code: 'BAD_FRAME', message: 'nope', details: {} })
  })

  it('has unique codes equal to their names', () => {
    for (const [name, code] of Object.entries(ErrorCode)) expect(code).toBe(name)
  })
})

describe('wire codecs', () => {
  it('encode a wire error as code ‖ message (golden bytes)', () => {
    const bytes = encode(wireErrorCodec, { code: ErrorCode.TIMEOUT, message: 'hi' })
    expect(Buffer.from(bytes).toString('hex')).toBe('0754494d454f5554' + '026869')
  })

  it('decode an unknown code from a newer peer as REMOTE_ERROR', () => {
    const bytes = c.encode(c.array(c.string), ['FUTURE_CODE', 'x'])
    const wire = decode(wireErrorCodec, bytes.subarray(1))
    expect(wire.code).toBe(ErrorCode.REMOTE_ERROR)
    expect(fromWireError(wire)).toBeInstanceOf(LumeError)
  })

  it('turn truncated input and trailing bytes into BAD_FRAME', () => {
    const bytes = encode(wireErrorCodec, { code: ErrorCode.TIMEOUT, message: 'hello' })
    expect(() => decode(wireErrorCodec, bytes.subarray(0, bytes.length - 1))).toThrow(expect.objectContaining({ code: 'BAD_FRAME' }))
    const longer = new Uint8Array(bytes.length + 1)
    longer.set(bytes)
    expect(() => decode(wireErrorCodec, longer)).toThrow(expect.objectContaining({ code: 'BAD_FRAME' }))
  })

  it('cap array lengths a peer controls before allocating', () => {
    const codec = cappedArray(uintCodec, 3)
    expect(decode(codec, encode(codec, [1, 2, 3]))).toEqual([1, 2, 3])
    const huge = c.encode(c.uint, 1_000_000_000)
    expect(() => decode(codec, huge)).toThrow(expect.objectContaining({ code: 'BAD_FRAME' }))
  })
})
