import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import c from 'compact-encoding'
import { emptyCodec, ErrorCode, jsonCodec, stringCodec, uintCodec, type JsonValue, type SignedAnswer } from '@lume/types'
import { defineMethod } from '../src/index.js'
import { requestHash, verifyAnswer } from '../src/signed.js'
import { rpcFixture, type RpcFixture } from './helpers.js'

const echo = defineMethod({ name: 'test.echo', request: jsonCodec, response: jsonCodec })
const late = defineMethod({ name: 'test.late', request: stringCodec, response: stringCodec })
const count = defineMethod({ name: 'test.count', request: uintCodec, response: uintCodec })
const hang = defineMethod({ name: 'test.hang', request: emptyCodec, response: emptyCodec })

describe('RPC over HyperDHT', () => {
  let f: RpcFixture
  let produced = 0
  let streamFinished = false
  beforeAll(async () => {
    f = await rpcFixture()
    f.methods.register({ ...echo, handler: (v: JsonValue) => v })
    f.methods.register({
      ...count,
      stream: true,
      handler: async function * (n: number) {
        try {
          for (let i = 0; i < n; i++) { produced++; yield i }
        } finally { streamFinished = true }
      }
    })
    f.methods.register({ ...hang, handler: async () => await new Promise<null>(() => {}) })
  })
  afterAll(async () => { await f?.close() })

  it('calls a method on a relay by public key', async () => {
    const conn = await f.connect()
    expect(await conn.call(echo, { hello: ['world', 1, true, null] })).toEqual({ hello: ['world', 1, true, null] })
    expect(await conn.ping()).toBeGreaterThan(0)
  })

  it('serves methods registered after the connection opened', async () => {
    const conn = await f.connect()
    await expect(conn.call(late, 'x')).rejects.toMatchObject({ code: ErrorCode.UNKNOWN_METHOD })
    f.methods.register({ ...late, handler: (s: string) => s.toUpperCase() })
    expect(await conn.call(late, 'late')).toBe('LATE')
  })

  it('returns signed answers that verify, bound to their request', async () => {
    const conn = await f.connect()
    const { value, answer } = await conn.callSigned(echo, { n: 1 })
    expect(value).toEqual({ n: 1 })
    expect(Buffer.from(answer.relayPublicKey).equals(Buffer.from(f.serverKey))).toBe(true)
    const hash = requestHash(echo.name, c.encode(jsonCodec, { n: 1 }))
    expect(verifyAnswer(answer, hash)).toBe(true)
    expect(Math.abs(answer.timestamp - Date.now())).toBeLessThan(60_000)

    // Tampered answer: one byte of the body changed.
    const body = Uint8Array.from(answer.body)
    body[body.length - 2]! ^= 1
    expect(verifyAnswer({ ...answer, body }, hash)).toBe(false)
    // Tampered time.
    expect(verifyAnswer({ ...answer, timestamp: answer.timestamp + 1 }, hash)).toBe(false)

    // Replayed as the answer to a different request: its hash does not match.
    const other = await conn.callSigned(echo, { n: 2 })
    const replay: SignedAnswer = { ...answer }
    expect(verifyAnswer(replay, other.answer.requestHash)).toBe(false)
    expect(verifyAnswer({ ...replay, requestHash: other.answer.requestHash }, other.answer.requestHash)).toBe(false)
  })

  it('streams large results with backpressure, and cancels on break', async () => {
    const conn = await f.connect()
    const seen: number[] = []
    for await (const i of conn.callStream(count, 50, { prefetch: 2 })) seen.push(i)
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i))

    produced = 0
    streamFinished = false
    const slow: number[] = []
    for await (const i of conn.callStream(count, 1_000_000, { prefetch: 3 })) {
      slow.push(i)
      await new Promise((resolve) => setTimeout(resolve, 5))
      // The server runs at most a few chunks ahead of a slow consumer.
      expect(produced - slow.length).toBeLessThanOrEqual(4)
      if (slow.length === 20) break
    }
    await expect.poll(() => streamFinished, { timeout: 5000 }).toBe(true)
    expect(produced).toBeLessThan(30)
  })

  it('times out a call and can cancel one', async () => {
    const conn = await f.connect()
    await expect(conn.call(hang, null, { timeoutMs: 200 })).rejects.toMatchObject({ code: ErrorCode.TIMEOUT })
    const abort = new AbortController()
    const pending = conn.call(hang, null)
    abort.abort()
    setTimeout(() => abort.abort(), 50)
    await expect(conn.call(hang, null, { signal: abort.signal })).rejects.toMatchObject({ code: ErrorCode.ABORTED })
    pending.catch(() => {})
    expect(await conn.call(echo, 'still fine')).toBe('still fine')
  })

  it('refuses a request over the size limit on the client, before sending', async () => {
    const conn = await f.connect({ limits: { maxRequestBytes: 1000 } })
    await expect(conn.call(echo, 'x'.repeat(2000))).rejects.toMatchObject({ code: ErrorCode.TOO_LARGE })
    expect(await conn.call(echo, 'small')).toBe('small')
  })
})

describe('limits and bad input on the server', () => {
  let f: RpcFixture
  beforeAll(async () => {
    f = await rpcFixture({ limits: { maxRequestBytes: 4096, maxInFlight: 16, handlerTimeoutMs: 300 } })
    f.methods.register({ ...echo, handler: (v: JsonValue) => v })
    f.methods.register({ ...hang, handler: async () => await new Promise<null>(() => {}) })
    f.methods.register({ name: 'test.typeError', request: emptyCodec, response: emptyCodec, handler: () => { throw new TypeError('boom') } })
    f.methods.register({ name: 'test.throwString', request: emptyCodec, response: emptyCodec, handler: () => { throw 'not an error' as unknown as Error } }) // eslint-disable-line no-throw-literal -- the attack under test
    f.methods.register({ name: 'test.rangeError', request: emptyCodec, response: emptyCodec, handler: async () => { throw new RangeError('async boom') } })
  })
  afterAll(async () => { await f?.close() })

  it('answers a handler that never returns with TIMEOUT after handlerTimeoutMs', async () => {
    const conn = await f.connect()
    const err = await conn.call(hang, null, { timeoutMs: 5000 }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: ErrorCode.TIMEOUT, details: { remote: true } })
  })

  it('turns throwing handlers (TypeError, RangeError, non-Error) into REMOTE_ERROR and keeps serving', async () => {
    const conn = await f.connect()
    for (const name of ['test.typeError', 'test.throwString', 'test.rangeError']) {
      const err = await conn.call({ name, request: emptyCodec, response: emptyCodec }, null).catch((e: unknown) => e)
      expect(err, name).toMatchObject({ code: ErrorCode.REMOTE_ERROR, message: `internal error in ${name}` })
      expect(String((err as Error).message)).not.toMatch(/boom|at /)
    }
    expect(await conn.call(echo, 'alive')).toBe('alive')
  })

  it('answers a request over the server limit with TOO_LARGE, connection intact', async () => {
    const conn = await f.connect({ limits: { maxRequestBytes: 100_000 } })
    await expect(conn.call(echo, 'x'.repeat(10_000))).rejects.toMatchObject({ code: ErrorCode.TOO_LARGE })
    expect(await conn.call(echo, 'ok')).toBe('ok')
  })

  it('answers malformed bodies, invalid JSON and truncated envelopes with BAD_FRAME', async () => {
    const socket = await f.rawSocket()
    const ProtomuxRPC = (await import('protomux-rpc')).default
    const raw = new ProtomuxRPC(socket, { protocol: 'lume/rpc/v1', valueEncoding: null })
    const send = async (bytes: number[]): Promise<Uint8Array> => await raw.request('test.echo', Uint8Array.from(bytes))
    const { responseEnvelope } = await import('../src/internal.js')
    const invalidJson = [1, 0, 4, ...Buffer.from('{bad')]
    for (const bytes of [[1], [], [9, 0, 0], invalidJson, [1, 0, 200, 1]]) {
      const reply = c.decode(responseEnvelope, await send(bytes))
      expect(reply, JSON.stringify(bytes)).toMatchObject({ kind: 1, error: { code: 'BAD_FRAME' } })
    }
    const ok = c.decode(responseEnvelope, await send([1, 0, 3, ...Buffer.from('"a"')]))
    expect(ok).toMatchObject({ kind: 0 })
    socket.destroy()
  })

  it('closes the connection on garbage frames and keeps serving others', async () => {
    const other = await f.connect()
    const socket = await f.rawSocket()
    const closed = new Promise((resolve) => socket.once('close', resolve))
    socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02]))
    await closed
    expect(await other.call(echo, 'after garbage')).toBe('after garbage')
  })

  it('rate-limits 10,000 requests in flight from one peer while serving a second client', async () => {
    const flood = await f.connect({ limits: { callTimeoutMs: 20_000 } })
    const calm = await f.connect()
    const calls = Array.from({ length: 10_000 }, async () => await flood.call(hang, null).then(() => 'ok', (e: { code: string }) => e.code))
    // While the flood is in progress, the other client is served.
    expect(await calm.call(echo, 'during')).toBe('during')
    const results = await Promise.all(calls)
    // At most 16 run at once (each ends in the 300 ms handler timeout); every other one is refused at once.
    const timedOut = results.filter((r) => r === ErrorCode.TIMEOUT).length
    const limited = results.filter((r) => r === ErrorCode.RATE_LIMITED).length
    expect(timedOut + limited).toBe(10_000)
    expect(timedOut).toBeGreaterThanOrEqual(16)
    expect(limited).toBeGreaterThan(9000)
    expect(await calm.call(echo, 'after')).toBe('after')
    expect(await flood.call(echo, 'flood peer recovers')).toBe('flood peer recovers')
    // Logged once, not once per request: a flood must not flood the log either.
    expect(f.logger.lines.filter((l) => l.fields.code === ErrorCode.RATE_LIMITED)).toHaveLength(1)
  }, 60_000)

  it('aborts the handler of a peer that disconnects mid-request', async () => {
    let sawAbort = false
    f.methods.register({
      name: 'test.watch',
      request: emptyCodec,
      response: emptyCodec,
      handler: async (_req, ctx) => await new Promise<null>((resolve) => {
        ctx.signal.addEventListener('abort', () => { sawAbort = true; resolve(null) })
      })
    })
    const conn = await f.connect()
    const pending = conn.call({ name: 'test.watch', request: emptyCodec, response: emptyCodec }, null).catch((e: { code: string }) => e.code)
    await new Promise((resolve) => setTimeout(resolve, 100))
    conn.destroy()
    expect(await pending).toBe(ErrorCode.CONNECTION_FAILED)
    await expect.poll(() => sawAbort, { timeout: 5000 }).toBe(true)
    const next = await f.connect()
    expect(await next.call(echo, 'next')).toBe('next')
  })
})
