// pnpm soak [--clients 1000] [--connections 30] [--minutes 3] [--interval 10]:
// one production relay process on a loopback testnet, N clients mixing reads,
// writes and subscriptions; prints throughput, latency, errors and the
// relay's RSS every interval, then a summary. Bounded to minutes; not part of
// the test suite. Every client here comes from 127.0.0.1, and the relay
// allows one address 32 connections (and one connection per key): clients
// share `--connections` connections (each its own key) unless told otherwise.
import { parseArgs } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import { RegistryClient } from '@lume/registry'
import { RpcConnection } from '@lume/rpc'
import { createTestnet, formatAddresses } from '@lume/testnet'
import { LumeError } from '@lume/types'
import { generateKeyPair, type KeyPair } from '@lume/crypto'
import type HyperDHT from 'hyperdht'
import { RelayProcess } from './relay-process.js'

const { values } = parseArgs({
  // pnpm passes a lone `--` through.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    clients: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '30' },
    minutes: { type: 'string', default: '3' },
    interval: { type: 'string', default: '10' },
    /** Calls per second per client (each waits a random 0..2/rate s between calls). */
    rate: { type: 'string', default: '1' },
    /** Share of clients that also hold a subscription open. */
    subscribers: { type: 'string', default: '0.1' }
  }
})
const CLIENTS = Number(values.clients)
const CONNECTIONS = Math.min(CLIENTS, Number(values.connections))
const DURATION_MS = Number(values.minutes) * 60_000
const INTERVAL_MS = Number(values.interval) * 1000
const RATE = Number(values.rate)
const SUBSCRIBERS = Number(values.subscribers)
const MB = 1024 * 1024

interface Window { latencies: number[], ok: number, errors: Map<string, number>, updates: number }
const fresh = (): Window => ({ latencies: [], ok: 0, errors: new Map(), updates: 0 })
let window = fresh()
const followers: Array<Promise<void>> = []
const total = { ok: 0, errors: new Map<string, number>(), updates: 0, latencies: [] as number[] }

function record (ms: number | null, code?: string): void {
  if (ms !== null) {
    window.ok++
    window.latencies.push(ms)
    return
  }
  const key = code ?? 'UNKNOWN'
  window.errors.set(key, (window.errors.get(key) ?? 0) + 1)
}

function percentile (sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number
}

function errorText (errors: Map<string, number>): string {
  const n = [...errors.values()].reduce((a, b) => a + b, 0)
  return n === 0 ? '0' : `${n} (${[...errors].map(([k, v]) => `${k} ${v}`).join(', ')})`
}

async function timed (fn: () => Promise<unknown>): Promise<void> {
  const started = performance.now()
  try {
    await fn()
    record(performance.now() - started)
  } catch (err) {
    record(null, LumeError.isInstance(err) ? err.code : (err as Error).name)
  }
}

/** One client: its own key; reads hot keys, writes its own, maybe subscribes to a hot key. */
async function runClient (conn: RpcConnection, hot: KeyPair[], until: number, subscribe: boolean): Promise<void> {
  const me = generateKeyPair()
  const registry = new RegistryClient(conn)
  const stop = new AbortController()
  // A subscription ends when its connection closes (a waiting pull has no timeout): awaited after that.
  if (subscribe) followers.push(followHotKey(registry, hot[Math.floor(Math.random() * hot.length)] as KeyPair, stop.signal))
  let n = 0
  try {
    while (Date.now() < until && !conn.closed) {
      await sleep(Math.random() * 2000 / RATE)
      const r = Math.random()
      if (r < 0.6) await timed(async () => await registry.get((hot[n % hot.length] as KeyPair).publicKey))
      else if (r < 0.85) await timed(async () => await registry.set(me, new TextEncoder().encode(`write ${n}`)))
      else await timed(async () => await conn.ping())
      n++
    }
  } finally {
    stop.abort()
  }
}

async function followHotKey (registry: RegistryClient, key: KeyPair, stop: AbortSignal): Promise<void> {
  const updates = registry.subscribe(key.publicKey)[Symbol.asyncIterator]()
  try {
    while (!stop.aborted) {
      const next = await updates.next()
      if (next.done === true) return
      window.updates++
    }
  } catch (err) {
    if (!stop.aborted) record(null, `subscribe:${LumeError.isInstance(err) ? err.code : (err as Error).name}`)
  }
}

async function main (): Promise<void> {
  const testnet = await createTestnet()
  const relay = await RelayProcess.start({ bootstrap: formatAddresses(testnet.bootstrap) })
  const rssSamples: Array<{ at: number, rss: number }> = []
  try {
    const startRss = await relay.rss()
    console.log(`soak: relay ${Buffer.from(relay.publicKey).toString('hex').slice(0, 12)} pid ${relay.pid}, RSS at start ${Math.round(startRss / MB)} MB; ${CLIENTS} clients on ${CONNECTIONS} connections, ${DURATION_MS / 60_000} min, ${RATE} call/s each, ${Math.round(SUBSCRIBERS * 100)} % subscribed`)
    // Hot keys everyone reads; their owner writes them now and then (subscribers hear it).
    const owner = RpcConnection.open(testnet.createNode().connect(Buffer.from(relay.publicKey)))
    const hot = Array.from({ length: 20 }, () => generateKeyPair())
    for (const key of hot) await new RegistryClient(owner).set(key, new TextEncoder().encode('hot 0'))
    // Connections (each its own key) spread over several DHT nodes; clients share them round-robin.
    const nodes = Array.from({ length: Math.max(1, Math.ceil(CONNECTIONS / 100)) }, () => testnet.createNode())
    const conns = Array.from({ length: CONNECTIONS }, (_, i) => {
      const key = generateKeyPair()
      return RpcConnection.open((nodes[i % nodes.length] as HyperDHT).connect(Buffer.from(relay.publicKey), { keyPair: { publicKey: Buffer.from(key.publicKey), secretKey: Buffer.from(key.secretKey) } }))
    })
    const started = Date.now()
    const until = started + DURATION_MS
    const clients: Array<Promise<void>> = []
    for (let i = 0; i < CLIENTS; i++) {
      clients.push(runClient(conns[i % conns.length] as RpcConnection, hot, until, Math.random() < SUBSCRIBERS).catch((err: unknown) => record(null, `client:${(err as Error).message}`)))
      if (i % 50 === 49) await sleep(100)
    }
    const hotWriter = (async () => {
      let rev = 1
      while (Date.now() < until) {
        await sleep(1000)
        await new RegistryClient(owner).set(hot[rev % hot.length] as KeyPair, new TextEncoder().encode(`hot ${rev}`)).catch(() => record(null, 'hot-write'))
        rev++
      }
    })()
    const reporter = setInterval(() => {
      void relay.rss().then((rss) => {
        const w = window
        window = fresh()
        total.ok += w.ok
        total.updates += w.updates
        for (const [k, v] of w.errors) total.errors.set(k, (total.errors.get(k) ?? 0) + v)
        total.latencies.push(...w.latencies)
        const sorted = w.latencies.sort((a, b) => a - b)
        rssSamples.push({ at: Date.now() - started, rss })
        console.log(`soak: t=${Math.round((Date.now() - started) / 1000)} s  ${(w.ok / (INTERVAL_MS / 1000)).toFixed(0)} calls/s  p50 ${percentile(sorted, 0.5).toFixed(1)} ms  p99 ${percentile(sorted, 0.99).toFixed(1)} ms  updates ${w.updates}  errors ${errorText(w.errors)}  RSS ${Math.round(rss / MB)} MB  alive ${relay.alive}`)
      }, () => console.log('soak: the relay process is gone'))
    }, INTERVAL_MS)
    await Promise.all([...clients, hotWriter])
    clearInterval(reporter)
    // The last, partial interval counts in the totals too.
    total.ok += window.ok
    total.updates += window.updates
    for (const [k, v] of window.errors) total.errors.set(k, (total.errors.get(k) ?? 0) + v)
    total.latencies.push(...window.latencies)
    owner.destroy()
    for (const conn of conns) conn.destroy()
    await Promise.all(followers)
    const endRss = await relay.rss()
    const peak = await relay.peakRss()
    const sorted = total.latencies.sort((a, b) => a - b)
    const late = rssSamples.slice(Math.floor(rssSamples.length / 2)).map((s) => s.rss).sort((a, b) => a - b)
    const plateau = late[Math.floor(late.length / 2)] ?? endRss
    const seconds = (Date.now() - started) / 1000
    console.log('soak: summary')
    console.log(JSON.stringify({
      clients: CLIENTS,
      connections: CONNECTIONS,
      minutes: Number((seconds / 60).toFixed(1)),
      calls: total.ok,
      callsPerSecond: Math.round(total.ok / seconds),
      p50Ms: Number(percentile(sorted, 0.5).toFixed(1)),
      p99Ms: Number(percentile(sorted, 0.99).toFixed(1)),
      subscriptionUpdates: total.updates,
      errors: Object.fromEntries(total.errors),
      rssMb: { start: Math.round(startRss / MB), plateau: Math.round(plateau / MB), end: Math.round(endRss / MB), peak: Math.round(peak / MB) },
      relayAlive: relay.alive
    }, null, 2))
  } finally {
    await relay.close()
    await testnet.close()
  }
}

await main()
