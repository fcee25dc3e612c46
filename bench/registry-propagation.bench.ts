// How fast a registry write reaches a subscriber two flood hops away: three
// relays in processes of their own on a private testnet, connected in a line
// A — B — C (flood and registry on LMDB, as lume-relay runs them). The bench
// writes on A and times until its subscription on C yields that revision,
// one write at a time; both connections are open before the clock starts.
import { RegistryClient, RegistryMethods, serializeEntry, signEntry } from '@lume/registry'
import { RpcConnection } from '@lume/rpc'
import { createDHTNode, createProcessTestnet } from '@lume/testnet'
import { fromHex } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'

type Commands = { connect: { args: { publicKey: string }, result: Record<string, never> } }

const WARMUP = 20
const WRITES = 300
const net = await createProcessTestnet<Commands>({ peers: 3, program: new URL('./lib/registry-relay.ts', import.meta.url).pathname })
const client = createDHTNode(net.bootstrap)
const [a, b, c] = net.peers as [typeof net.peers[0], typeof net.peers[0], typeof net.peers[0]]
await a.request('connect', { publicKey: b.publicKey })
await b.request('connect', { publicKey: c.publicKey })
const toA = RpcConnection.open(client.connect(fromHex(a.publicKey, 32)))
const toC = RpcConnection.open(client.connect(fromHex(c.publicKey, 32)))
await toA.ping()
await toC.ping()

const writer = generateKeyPair()
const stop = new AbortController()
const updates = new RegistryClient(toC).subscribe(writer.publicKey, { signal: stop.signal })
// The subscription is read in the background; each write waits for its revision (up to 5 s: then it counts as missed).
const waiters = new Map<number, () => void>()
const reading = (async () => { for await (const e of updates) waiters.get(e.revision)?.() })()
reading.catch(() => {})
const acks: number[] = []
const arrivals: number[] = []
let missed = 0
const data = new Uint8Array(32).fill(1)
for (let revision = 0; revision < WARMUP + WRITES; revision++) {
  const entry = serializeEntry(signEntry(writer, revision, data))
  let timer: ReturnType<typeof setTimeout> | undefined
  const heard = new Promise<boolean>((resolve) => {
    waiters.set(revision, () => resolve(true))
    timer = setTimeout(() => resolve(false), 5000)
  })
  const start = performance.now()
  await toA.call(RegistryMethods.set, entry)
  const acked = performance.now() - start
  const ok = await heard
  clearTimeout(timer)
  waiters.delete(revision)
  if (revision < WARMUP) continue
  if (!ok) { missed++; continue }
  acks.push(acked)
  arrivals.push(performance.now() - start)
}
stop.abort()
await reading.catch(() => {})

const pct = (xs: number[], p: number): number => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!
console.log(`\n### registry propagation: write on relay A, subscriber on relay C two flood hops away (3 relay processes in a line, LMDB; ${WRITES} writes one at a time after ${WARMUP} warm-up)\n`)
console.log('| measure | p50 ms | p99 ms | max ms |')
console.log('|---|---:|---:|---:|')
console.log(`| write acknowledged by A (stored on disk) | ${pct(acks, 0.5).toFixed(2)} | ${pct(acks, 0.99).toFixed(2)} | ${Math.max(...acks).toFixed(2)} |`)
console.log(`| subscriber on C has it (from the start of the write) | ${pct(arrivals, 0.5).toFixed(2)} | ${pct(arrivals, 0.99).toFixed(2)} | ${Math.max(...arrivals).toFixed(2)} |`)
console.log(`\nWrites that did not reach the subscriber within 5 s: ${missed} of ${WRITES}${missed === 0 ? '' : ' (left out of the percentiles)'}.`)
toA.destroy()
toC.destroy()
await client.destroy()
await net.close()
