// @lume/rpc against raw protomux-rpc (the baseline) on one private testnet
// connection between two processes: throughput with 256 in flight,
// sequential latency, 1 MiB uploads, and connect time.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import ProtomuxRPC from 'protomux-rpc'
import { RpcConnection, rawBytesCodec } from '@lume/rpc'
import { createTestnet, formatAddresses } from '@lume/testnet'
import { fromHex } from '@lume/types'

const testnet = await createTestnet()
const server = fork(new URL('./lib/rpc-server.ts', import.meta.url), [formatAddresses(testnet.bootstrap).join(',')], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
const [line] = await once(server.stdout!, 'data') as [Buffer]
const keys = JSON.parse(line.toString()) as { raw: string, lume: string }
const client = testnet.createNode()
const spec = { name: 'bench.echo', request: rawBytesCodec, response: rawBytesCodec }

type Call = (body: Uint8Array) => Promise<unknown>

interface Contender { name: string, connect: () => Promise<{ call: Call, close: () => void }> }

const contenders: Contender[] = [
  {
    name: 'protomux-rpc (raw, baseline)',
    connect: async () => {
      const socket = client.connect(fromHex(keys.raw))
      const rpc = new ProtomuxRPC(socket, { valueEncoding: null })
      return { call: async (b) => await rpc.request('echo', b), close: () => socket.destroy() }
    }
  },
  {
    name: '@lume/rpc unsigned',
    connect: async () => {
      const conn = RpcConnection.open(client.connect(fromHex(keys.lume)), { limits: { maxRequestBytes: 2 * 1024 * 1024 } })
      return { call: async (b) => await conn.call(spec, b), close: () => conn.destroy() }
    }
  },
  {
    name: '@lume/rpc signed + verified',
    connect: async () => {
      const conn = RpcConnection.open(client.connect(fromHex(keys.lume)), { limits: { maxRequestBytes: 2 * 1024 * 1024 } })
      return { call: async (b) => await conn.callSigned(spec, b), close: () => conn.destroy() }
    }
  }
]

async function throughput (call: Call, total: number, inFlight: number): Promise<number> {
  const body = new Uint8Array(32)
  let next = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next++ < total) await call(body)
  }))
  return total / ((performance.now() - started) / 1000)
}

async function latency (call: Call, n: number): Promise<{ p50: number, p99: number }> {
  const body = new Uint8Array(32)
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await call(body)
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return { p50: times[Math.floor(n * 0.5)]!, p99: times[Math.floor(n * 0.99)]! }
}

async function upload (call: Call, count: number): Promise<number> {
  const body = new Uint8Array(1024 * 1024).fill(1)
  const started = performance.now()
  await Promise.all(Array.from({ length: 4 }, async (_, lane) => {
    for (let i = lane; i < count; i += 4) await call(body)
  }))
  return count / ((performance.now() - started) / 1000)
}

async function connectTime (c: Contender, n: number): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    const { call, close } = await c.connect()
    await call(new Uint8Array(1))
    times.push(performance.now() - t)
    close()
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(n / 2)]!
}

// The machine is shared and noisy: contenders take turns over several rounds
// and each keeps its best round, so a burst of load elsewhere hurts no one in particular.
const ROUNDS = 3
const rows = contenders.map((c) => ({ name: c.name, rps: 0, p50: Infinity, p99: Infinity, mibs: 0, connect: Infinity }))
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, c] of contenders.entries()) {
    const row = rows[i]!
    const { call, close } = await c.connect()
    await throughput(call, 5000, 256) // warm-up
    row.rps = Math.max(row.rps, await throughput(call, 30_000, 256))
    const { p50, p99 } = await latency(call, 3000)
    if (p50 < row.p50) { row.p50 = p50; row.p99 = p99 }
    row.mibs = Math.max(row.mibs, await upload(call, 100))
    close()
    row.connect = Math.min(row.connect, await connectTime(c, 10))
  }
}

const base = rows[0]!
console.log(`\n### RPC over one HyperDHT connection between two processes (best of ${ROUNDS} rounds)\n`)
console.log('| contender | req/s (256 in flight) | vs baseline | p50 ms (sequential) | p99 ms | vs baseline p50 | 1 MiB uploads MiB/s | connect + first call ms (median) |')
console.log('|---|---:|---:|---:|---:|---:|---:|---:|')
for (const r of rows) {
  console.log(`| ${r.name} | ${Math.round(r.rps).toLocaleString('en-US')} | ${(r.rps / base.rps).toFixed(2)}× | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} | ${(r.p50 / base.p50).toFixed(2)}× | ${r.mibs.toFixed(0)} | ${r.connect.toFixed(2)} |`)
}

server.disconnect()
await once(server, 'exit')
await testnet.close()
