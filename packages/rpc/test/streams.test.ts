import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ProtomuxRPC from 'protomux-rpc'
import { decode, emptyCodec, encode, ErrorCode, uintCodec, type CallContext } from '@lume/types'
import HyperDHT from 'hyperdht'
import { createTestnet } from '@lume/testnet'
import { defineMethod, MethodRegistry, RpcConnection } from '../src/index.js'
import { BudgetBook, responseEnvelope, type ResponseEnvelope } from '../src/internal.js'
import { encodeRequest } from '../src/lib/answer-encoding.js'
import { rpcFixture, type RpcFixture } from './helpers.js'

const forever = defineMethod({ name: 'test.forever', request: emptyCodec, response: uintCodec })
const later = defineMethod({ name: 'test.later', request: emptyCodec, response: uintCodec })

/** A raw protomux-rpc channel, to send `$stream.next` and `$stream.cancel` by hand as an attacker would. */
async function rawChannel (f: RpcFixture): Promise<{ request: (method: string, body: Uint8Array) => Promise<ResponseEnvelope>, socket: { destroy: () => void } }> {
  const socket = await f.rawSocket()
  const rpc = new ProtomuxRPC(socket, { protocol: 'lume/rpc/v1', valueEncoding: null })
  return { socket, request: async (method, body) => decode(responseEnvelope, await rpc.request(method, body)) }
}

async function openStream (raw: Awaited<ReturnType<typeof rawChannel>>, name: string): Promise<Uint8Array> {
  const opened = await raw.request(name, encodeRequest(emptyCodec, null, false))
  if (opened.kind !== 2) throw new Error(`expected a stream, got ${JSON.stringify(opened)}`)
  return encode(uintCodec, opened.streamId)
}

const outcome = (e: ResponseEnvelope): string => e.kind === 1 ? e.error.code : e.kind === 3 ? 'END' : e.kind === 0 ? 'OK' : 'STREAM'

describe('stream pulls are bounded and charged (issue 12, item 1)', () => {
  let f: RpcFixture
  let live = 0
  let finished = 0
  const book = new BudgetBook({ budgets: { 'rpc.calls': { perPeer: 16 } } })
  beforeAll(async () => {
    f = await rpcFixture({ book })
    // A subscription-like handler: it waits for news that never comes, and stops only on its signal.
    f.methods.register<null, number>({
      ...forever,
      stream: true,
      handler: (_req: null, ctx: CallContext) => {
        live++
        ctx.signal.addEventListener('abort', () => { live-- }, { once: true })
        return (async function * () {
          try {
            await new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }))
            yield 0
          } finally { finished++ }
        })()
      }
    })
  })
  afterAll(async () => { await f?.close() })

  it('answers pulls past the per-stream limit with RATE_LIMITED; waiting pulls stay bounded and end on cancel', async () => {
    const raw = await rawChannel(f)
    const id = await openStream(raw, forever.name)
    const results: string[] = []
    const pulls = Array.from({ length: 1000 }, async () => await raw.request('$stream.next', id).then((e) => { results.push(outcome(e)); return e }))
    await expect.poll(() => results.length, { timeout: 10_000 }).toBe(1000 - 8)
    expect(results.every((r) => r === ErrorCode.RATE_LIMITED)).toBe(true)
    const server = f.serverConnections.at(-1) as RpcConnection
    expect(server.budget.used('rpc.calls')).toBe(8)
    await raw.request('$stream.cancel', id)
    // The waiting pulls end at once although the handler is still suspended; its signal fired.
    expect((await Promise.all(pulls)).slice(0, 8).map(outcome)).toEqual(Array(8).fill('END'))
    expect(server.budget.used('rpc.calls')).toBe(0)
    expect(server.budget.used('rpc.streams')).toBe(0)
    await expect.poll(() => finished).toBe(1)
    raw.socket.destroy()
  })

  it('counts waiting pulls of every stream as calls in flight', async () => {
    const raw = await rawChannel(f)
    const ids = [await openStream(raw, forever.name), await openStream(raw, forever.name), await openStream(raw, forever.name)]
    const results: string[] = []
    for (const id of ids) for (let i = 0; i < 8; i++) void raw.request('$stream.next', id).then((e) => results.push(outcome(e)), () => {})
    await expect.poll(() => results.length, { timeout: 10_000 }).toBe(3 * 8 - 16)
    expect(results.every((r) => r === ErrorCode.RATE_LIMITED)).toBe(true)
    const server = f.serverConnections.at(-1) as RpcConnection
    expect(server.budget.used('rpc.calls')).toBe(16)
    raw.socket.destroy()
    await expect.poll(() => server.closed).toBe(true)
    expect(book.used('rpc.calls')).toBe(0)
    expect(book.used('rpc.streams')).toBe(0)
  })

  it('aborts a stream handler cancelled before its first pull', async () => {
    const before = live
    const raw = await rawChannel(f)
    const id = await openStream(raw, forever.name)
    expect(live).toBe(before + 1)
    expect(outcome(await raw.request('$stream.cancel', id))).toBe('END')
    expect(live).toBe(before)
    raw.socket.destroy()
  })

  it('aborts a stream handler (its finally runs) cancelled while a pull waits', async () => {
    const done = finished
    const conn = await f.connect()
    const abort = new AbortController()
    const iterator = conn.callStream(forever, null, { signal: abort.signal })[Symbol.asyncIterator]()
    const first = iterator.next()
    await expect.poll(() => book.used('rpc.calls')).toBeGreaterThan(0)
    abort.abort()
    await expect(first).rejects.toMatchObject({ code: ErrorCode.ABORTED })
    await expect.poll(() => finished).toBe(done + 1)
    await expect.poll(() => book.used('rpc.streams')).toBe(0)
    expect(book.used('rpc.calls')).toBe(0)
  })

  it('aborts a stream handler (its finally runs) when the connection closes', async () => {
    const done = finished
    const conn = await f.connect()
    const iterator = conn.callStream(forever, null)[Symbol.asyncIterator]()
    const first = iterator.next()
    await expect.poll(() => book.used('rpc.calls')).toBeGreaterThan(0)
    conn.destroy()
    await expect(first).rejects.toMatchObject({ code: ErrorCode.CONNECTION_FAILED })
    await expect.poll(() => finished).toBe(done + 1)
    await expect.poll(() => book.used('rpc.streams')).toBe(0)
    expect(book.used('rpc.calls')).toBe(0)
  })
})

describe('idle streams stay open (issue 12, item 11)', () => {
  let f: RpcFixture
  let waiting = false
  let publish: (n: number) => void = () => {}
  beforeAll(async () => {
    // A short server idle time: it must not close a stream whose pull is waiting.
    f = await rpcFixture({ limits: { streamIdleMs: 50 } })
    f.methods.register({
      ...later,
      stream: true,
      handler: async function * () {
        waiting = true
        yield await new Promise<number>((resolve) => { publish = resolve })
      }
    })
  })
  afterAll(async () => { await f?.close() })

  it('keeps a pull waiting past the call timeout and the idle time, then delivers', async () => {
    const conn = await f.connect({ limits: { callTimeoutMs: 50 } })
    const iterator = conn.callStream(later, null)[Symbol.asyncIterator]()
    const first = iterator.next()
    await expect.poll(() => waiting).toBe(true)
    // Several call timeouts and server idle times pass with nothing to send.
    await new Promise((resolve) => setTimeout(resolve, 400))
    publish(7)
    expect(await first).toEqual({ done: false, value: 7 })
    expect(await iterator.next()).toEqual({ done: true, value: undefined })
  })
})

describe('budgets across addresses (issue 12)', () => {
  it('answers BUSY at the global cap while another address is still served', async () => {
    const testnet = await createTestnet()
    const book = new BudgetBook({ budgets: { 'rpc.streams': { perAddress: 10, global: 3 } } })
    const methods = new MethodRegistry()
    methods.register<null, number>({ ...later, stream: true, handler: function * () { for (let i = 0; ; i++) yield i } })
    const keyPair = HyperDHT.keyPair()
    // The server names each connection's address as a relay's book would see it: two hosts.
    const hosts = ['10.0.0.2', '10.0.0.1', '10.0.0.1', '10.0.0.1']
    await testnet.addPeer(keyPair, (socket) => { RpcConnection.open(socket, { methods, keyPair, book, remoteHost: hosts.shift() ?? '10.0.0.1' }) })
    const node = testnet.createNode()
    const dial = async (): Promise<RpcConnection> => {
      const conn = RpcConnection.open(node.connect(keyPair.publicKey))
      await conn.ping()
      return conn
    }
    try {
      const honest = await dial()
      const mine = honest.callStream(later, null, { prefetch: 1 })[Symbol.asyncIterator]()
      expect(await mine.next()).toEqual({ done: false, value: 0 })
      const attacker = [await dial(), await dial(), await dial()]
      const open = async (conn: RpcConnection): Promise<unknown> => await conn.callStream(later, null, { prefetch: 1 })[Symbol.asyncIterator]().next().then((r) => r.value, (e: { code: string }) => e.code)
      expect(await open(attacker[0]!)).toBe(0)
      expect(await open(attacker[1]!)).toBe(0)
      expect(await open(attacker[2]!)).toBe(ErrorCode.BUSY)
      // The honest address keeps its stream and its calls.
      expect(await mine.next()).toEqual({ done: false, value: 1 })
      expect(await honest.ping()).toBeGreaterThan(0)
      expect(book.usedBy('10.0.0.1', 'rpc.streams')).toBe(2)
      for (const conn of [honest, ...attacker]) conn.destroy()
      await expect.poll(() => book.used('rpc.streams')).toBe(0)
    } finally {
      await testnet.close()
    }
  })
})
