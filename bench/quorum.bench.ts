// Latency of a quorum query (k = 3 of n = 5 relays) against a single call to
// the fastest relay (the baseline), same method, same testnet, one run.
import HyperDHT from 'hyperdht'
import { createTestnet } from '@lume/testnet'
import { createRelay } from '@lume/relay'
import { RelayPool } from '@lume/rpc-client'
import { PLUGIN_API_VERSION, stringCodec } from '@lume/types'

const spec = { name: 'bench.echo', request: stringCodec, response: stringCodec }
const testnet = await createTestnet()
const relays = await Promise.all(Array.from({ length: 5 }, async () => await createRelay({
  keyPair: HyperDHT.keyPair(), bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false,
  plugins: [{ name: 'bench', apiVersion: PLUGIN_API_VERSION, start (api) { api.registerMethod({ name: 'echo', request: stringCodec, response: stringCodec, handler: (s: string) => s }) } }]
})))
const pool = new RelayPool({ dialer: testnet.createNode(), relays: relays.map((r) => r.publicKey) })
await pool.refresh()

async function percentiles (n: number, fn: (i: number) => Promise<unknown>): Promise<{ p50: number, p99: number }> {
  for (let i = 0; i < 200; i++) await fn(i) // warm-up
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await fn(i)
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return { p50: times[Math.floor(n * 0.5)]!, p99: times[Math.floor(n * 0.99)]! }
}

const single = await percentiles(2000, async (i) => await pool.call(spec, `q${i}`))
const quorum = await percentiles(2000, async (i) => await pool.query(spec, `q${i}`, { quorum: 3, of: 5 }))
console.log('\n### quorum query vs single call, 5 relays on one private testnet\n')
console.log('| contender | p50 ms | p99 ms | p50 vs baseline |')
console.log('|---|---:|---:|---:|')
console.log(`| single call to the fastest relay (baseline) | ${single.p50.toFixed(3)} | ${single.p99.toFixed(3)} | 1.00× |`)
console.log(`| query, k = 3 of n = 5, signed and verified | ${quorum.p50.toFixed(3)} | ${quorum.p99.toFixed(3)} | ${(quorum.p50 / single.p50).toFixed(2)}× |`)
await pool.close()
await Promise.all(relays.map(async (r) => await r.close()))
await testnet.close()
