// Latency of a quorum query (k = 3 of 5 relays) against single calls to the
// fastest relay — unsigned, and signed and verified (the anchor: a quorum is
// k signed calls) — with every relay in a process of its own, as in practice.
// The machine is shared and noisy: the contenders take turns request by
// request, so a burst of load elsewhere falls on all of them alike.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { createTestnet, formatAddresses } from '@lume/testnet'
import { RelayPool } from '@lume/rpc-client'
import { fromHex, stringCodec } from '@lume/types'

const spec = { name: 'bench.echo', request: stringCodec, response: stringCodec }
const testnet = await createTestnet()
const children = Array.from({ length: 5 }, () => fork(new URL('./lib/echo-relay.ts', import.meta.url), [formatAddresses(testnet.bootstrap).join(',')], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] }))
const keys = await Promise.all(children.map(async (child) => {
  const [line] = await once(child.stdout!, 'data') as [Buffer]
  return fromHex((JSON.parse(line.toString()) as { key: string }).key)
}))
const pool = new RelayPool({ dialer: testnet.createNode(), relays: keys })
await pool.refresh()
const fastest = async (): Promise<Awaited<ReturnType<RelayPool['connect']>>> => {
  const best = [...pool.relays()].sort((a, b) => a.score() - b.score())[0]!
  return await pool.connect(best.publicKey)
}

const contenders: Array<{ name: string, run: (i: number) => Promise<unknown> }> = [
  { name: 'single call to the fastest relay, signed + verified (anchor)', run: async (i) => await (await fastest()).callSigned(spec, `q${i}`) },
  { name: 'single call to the fastest relay, unsigned', run: async (i) => await pool.call(spec, `q${i}`) },
  { name: 'query, k = 3, default (ask 3 first, hedge)', run: async (i) => await pool.query(spec, `q${i}`, { quorum: 3 }) },
  { name: 'query, k = 3, ask all 5 at once', run: async (i) => await pool.query(spec, `q${i}`, { quorum: 3, of: 5 }) }
]
const N = 3000
const times = contenders.map(() => [] as number[])
for (let i = 0; i < N + 200; i++) {
  for (const [c, contender] of contenders.entries()) {
    const t = performance.now()
    await contender.run(i)
    if (i >= 200) times[c]!.push(performance.now() - t) // after 200 warm-up turns
  }
}
const rows = contenders.map((c, i) => {
  const sorted = times[i]!.sort((a, b) => a - b)
  return { name: c.name, p50: sorted[Math.floor(N * 0.5)]!, p99: sorted[Math.floor(N * 0.99)]! }
})
const anchor = rows[0]!
console.log(`\n### quorum query vs single calls, 5 relays in their own processes on one private testnet (${N.toLocaleString('en-US')} sequential requests each, contenders taking turns)\n`)
console.log('| contender | p50 ms | p99 ms | p50 vs signed single call |')
console.log('|---|---:|---:|---:|')
for (const r of rows) console.log(`| ${r.name} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} | ${(r.p50 / anchor.p50).toFixed(2)}× |`)
await pool.close()
await Promise.all(children.map(async (child) => { child.disconnect(); await once(child, 'exit') }))
await testnet.close()
