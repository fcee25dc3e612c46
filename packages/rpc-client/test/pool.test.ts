import HyperDHT from 'hyperdht'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { createRelay, type Relay } from '@lume/relay'
import { MethodRegistry, RpcConnection } from '@lume/rpc'
import { CoreMethods } from '@lume/rpc/core'
import { ErrorCode, PLUGIN_API_VERSION, stringCodec, type Plugin } from '@lume/types'
import { RelayPool } from '../src/index.js'

const answer = { name: 'oracle.answer', request: stringCodec, response: stringCodec }

/** A plugin whose `answer` is honest, a lie (each liar its own), or never comes. */
function oracle (mode: 'honest' | 'liar' | 'silent'): Plugin {
  const lie = 40 - Math.floor(Math.random() * 1e6)
  return {
    name: 'oracle',
    apiVersion: PLUGIN_API_VERSION,
    start (api) {
      api.registerMethod({
        name: 'answer',
        request: stringCodec,
        response: stringCodec,
        handler: async (q: string) => {
          if (mode === 'silent') return await new Promise<string>(() => {})
          return mode === 'honest' ? `the answer to ${q} is 42` : `the answer to ${q} is ${lie}`
        }
      })
    }
  }
}

describe('RelayPool on 7 relays', () => {
  let testnet: Testnet
  const relays: Relay[] = []
  let dht: HyperDHT
  const start = async (mode: 'honest' | 'liar' | 'silent', keyPair = HyperDHT.keyPair()): Promise<Relay> =>
    await createRelay({ keyPair, bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, plugins: [oracle(mode)] })

  beforeAll(async () => {
    testnet = await createTestnet()
    for (const mode of ['honest', 'honest', 'honest', 'honest', 'honest', 'liar', 'liar'] as const) relays.push(await start(mode))
    dht = testnet.createNode()
  }, 30_000)
  afterAll(async () => {
    await Promise.all(relays.map(async (r) => await r.close()))
    await testnet?.close()
  }, 30_000)

  const pool = (keys = relays.map((r) => r.publicKey), extra = {}): RelayPool => new RelayPool({ dialer: dht, relays: keys, ...extra })

  it('learns what each relay serves', async () => {
    const p = pool()
    await p.refresh()
    expect(p.relays().every((r) => r.methods?.has('oracle.answer'))).toBe(true)
    expect(await p.call(CoreMethods.ping, null)).toBeGreaterThan(0)
    await p.close()
  })

  it('close() is idempotent: every call, even during the first, returns the same promise', async () => {
    const p = pool()
    await p.call(CoreMethods.ping, null)
    const first = p.close()
    expect(p.close()).toBe(first)
    await first
    expect(p.close()).toBe(first)
  })

  it('with 2 liars, k=4 of n=7 returns the honest answer every time', async () => {
    const p = pool()
    for (let i = 0; i < 10; i++) {
      const result = await p.query(answer, `q${i}`, { quorum: 4, of: 7 })
      expect(result.value).toBe(`the answer to q${i} is 42`)
      expect(result.agreeing.length).toBeGreaterThanOrEqual(4)
      // Every agreeing answer is a distinct relay's, verifiable on its own.
      expect(new Set(result.agreeing.map((a) => Buffer.from(a.relayPublicKey).toString('hex'))).size).toBe(result.agreeing.length)
    }
    await p.close()
  })

  it('with 4 liars it fails with NO_QUORUM listing the split', async () => {
    const liars = [await start('liar'), await start('liar')]
    relays.push(...liars)
    const keys = [relays[0]!, relays[1]!, relays[2]!, relays[5]!, relays[6]!, ...liars].map((r) => r.publicKey) // 3 honest, 4 liars
    const p = pool(keys)
    const err = await p.query(answer, 'q', { quorum: 4, of: 7 }).catch((e: unknown) => e)
    // 3 honest relays and 4 liars who do not agree with each other: no 4 agree, and the error says how they split.
    expect(err).toMatchObject({ code: ErrorCode.NO_QUORUM })
    const details = (err as { details: { split: number[], votes: Array<{ ok: boolean, answer?: string }> } }).details
    expect(details.split[0]).toBeLessThan(4)
    expect(details.split.reduce((a, b) => a + b, 0)).toBe(details.votes.filter((v) => v.ok).length)
    expect(details.votes.length).toBeGreaterThanOrEqual(4)
    // It gives up as soon as agreement is impossible, without waiting for the rest.
    expect(details.votes.every((v) => !v.ok || v.answer !== undefined)).toBe(true)
    await p.close()
  })

  it('fails at once when fewer than k relays are reachable', async () => {
    const p = pool(relays.slice(0, 2).map((r) => r.publicKey))
    const started = performance.now()
    await expect(p.query(answer, 'q', { quorum: 3 })).rejects.toMatchObject({ code: ErrorCode.NO_QUORUM, details: { reachable: 2 } })
    expect(performance.now() - started).toBeLessThan(50)
    await p.close()
  })

  it('a relay that never answers does not delay the result beyond the moment k agree', async () => {
    const silent = await start('silent')
    relays.push(silent)
    const p = pool([silent.publicKey, ...relays.slice(0, 3).map((r) => r.publicKey)], { callTimeoutMs: 10_000 })
    await p.refresh()
    const started = performance.now()
    const result = await p.query(answer, 'fast', { quorum: 3, of: 4, timeoutMs: 10_000 })
    expect(result.value).toBe('the answer to fast is 42')
    expect(performance.now() - started).toBeLessThan(2000)
    await p.close()
  })

  it('skips a dead relay and retries it later, when it is back', async () => {
    const keyPair = HyperDHT.keyPair()
    let flaky = await start('honest', keyPair)
    const p = pool([flaky.publicKey, relays[0]!.publicKey, relays[1]!.publicKey], { backoff: { initialMs: 100, maxMs: 200 }, connectTimeoutMs: 2000 })
    await p.refresh()
    await flaky.close()
    const result = await p.query(answer, 'x', { quorum: 2, of: 3 })
    expect(result.agreeing.map((a) => Buffer.from(a.relayPublicKey).toString('hex'))).not.toContain(Buffer.from(keyPair.publicKey).toString('hex'))
    flaky = await start('honest', keyPair)
    relays.push(flaky)
    await new Promise((resolve) => setTimeout(resolve, 300))
    await expect.poll(async () => {
      const r = await p.query(answer, 'y', { quorum: 3, of: 3 }).catch(() => null)
      return r?.agreeing.length ?? 0
    }, { timeout: 15_000, interval: 300 }).toBe(3)
    await p.close()
  }, 30_000)

  it('detects signature tampering: an answer not signed by the relay it came from is not a vote', async () => {
    // An impostor: listens on one key but signs its answers with another.
    const listenKey = HyperDHT.keyPair()
    const signKey = HyperDHT.keyPair()
    const methods = new MethodRegistry()
    methods.register({ ...CoreMethods.info, handler: () => ({ version: 'x', publicKey: '', plugins: [], methods: ['oracle.answer', 'core.info'] }) })
    methods.register({ ...answer, handler: (q: string) => `the answer to ${q} is 42` })
    const node = testnet.createNode()
    const server = node.createServer({}, (socket) => { RpcConnection.open(socket, { methods, keyPair: signKey }) })
    await server.listen(listenKey)
    const p = pool([listenKey.publicKey, relays[0]!.publicKey])
    const err = await p.query(answer, 'z', { quorum: 2, of: 2 }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: ErrorCode.NO_QUORUM })
    const votes = (err as { details: { votes: Array<{ ok: boolean, error?: string }> } }).details.votes
    expect(votes.find((v) => !v.ok)?.error).toMatch(/^BAD_SIGNATURE/)
    await p.close()
  })

  it('compares only what must agree, with a per-method key', async () => {
    const p = pool(relays.slice(0, 5).map((r) => r.publicKey))
    const result = await p.query(answer, 'k', { quorum: 5, agreeOn: (v: string) => v.split(' is ')[0]! })
    expect(result.agreeing).toHaveLength(5)
    await p.close()
  })

  it('asks only k relays by default, and hedges to the others when one of them stays silent', async () => {
    const asked: string[] = []
    const counting: Plugin = {
      name: 'oracle',
      apiVersion: PLUGIN_API_VERSION,
      start (api) { api.registerMethod({ name: 'answer', request: stringCodec, response: stringCodec, handler: (q: string) => { asked.push(q); return `the answer to ${q} is 42` } }) }
    }
    const four = await Promise.all(Array.from({ length: 4 }, async () => await createRelay({ keyPair: HyperDHT.keyPair(), bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, plugins: [counting] })))
    relays.push(...four)
    const p = pool(four.map((r) => r.publicKey))
    await p.refresh()
    const result = await p.query(answer, 'few', { quorum: 2 })
    expect(result.agreeing).toHaveLength(2)
    // A ping on each connection comes after the query's request: once all answered, every relay asked has counted.
    await Promise.all(four.map(async (r) => await (await p.connect(r.publicKey)).ping()))
    expect(asked.filter((q) => q === 'few')).toHaveLength(2)
    await p.close()

    const silent = await start('silent')
    relays.push(silent)
    const hedged = pool([silent.publicKey, ...four.slice(0, 2).map((r) => r.publicKey)], { callTimeoutMs: 10_000 })
    await hedged.refresh()
    // Whether or not the silent relay is among the first two asked, the hedge finds a second honest one.
    for (let i = 0; i < 3; i++) {
      const r = await hedged.query(answer, `h${i}`, { quorum: 2, hedgeAfterMs: 1, timeoutMs: 10_000 })
      expect(r.value).toBe(`the answer to h${i} is 42`)
    }
    await hedged.close()
  }, 30_000)
})
