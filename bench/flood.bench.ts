// @lume/dht-flood on in-process nodes with a random degree-6 topology
// (in-memory links, delivery on the next microtask). At 100 nodes: time until
// every node has a message, packets sent per message against the minimum
// (N − 1) and naive flooding (every node sends on every edge both ways:
// 2 × edges), and deliveries per second; once forwarding at once, once with
// `collectMs` (forwards held 10 ms while neighbours say `have`). Then how the
// cost grows: the same at 100 … 10,000 nodes, with heap per node.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Flood } from '@lume/dht-flood'
import { generateKeyPair } from '@lume/crypto'

const DEGREE = 6
const MESSAGES = 200

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

interface Network { nodes: Flood[], edges: number, haves: () => number, settle: () => Promise<void>, sent: () => number }

/** N nodes on a ring (so it is connected) plus random chords, pairing free slots at random up to degree 6. */
function network (n: number, collectMs: number): Network {
  const nodes = Array.from({ length: n }, () => new Flood({ keyPair: generateKeyPair(), rate: { perSecond: 1e9, burst: 1e9 }, ttl: 32, maxTtl: 32, collectMs }))
  let inFlight = 0
  let haves = 0
  const send = (fn: () => void): void => { inFlight++; queueMicrotask(() => { inFlight--; fn() }) }
  const link = (a: Flood, b: Flood): void => {
    a.addPeer(b.publicKey, { packet: (bytes) => send(() => b.receivePacket(a.publicKey, bytes)), direct: () => {}, have: (bytes) => { haves++; send(() => b.receiveHave(a.publicKey, bytes)) } })
    b.addPeer(a.publicKey, { packet: (bytes) => send(() => a.receivePacket(b.publicKey, bytes)), direct: () => {}, have: (bytes) => { haves++; send(() => a.receiveHave(b.publicKey, bytes)) } })
  }
  const edges = new Set<number>()
  const addEdge = (i: number, j: number): void => {
    const key = i < j ? i * n + j : j * n + i
    if (i === j || edges.has(key)) return
    edges.add(key)
    link(nodes[i]!, nodes[j]!)
  }
  const stubs: number[] = []
  for (let i = 0; i < n; i++) {
    addEdge(i, (i + 1) % n)
    for (let k = 2; k < DEGREE; k++) stubs.push(i)
  }
  for (let i = stubs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    const t = stubs[i]!; stubs[i] = stubs[j]!; stubs[j] = t
  }
  for (let i = 0; i + 1 < stubs.length; i += 2) addEdge(stubs[i]!, stubs[i + 1]!)
  return {
    nodes,
    edges: edges.size,
    haves: () => haves,
    settle: async () => {
      // eslint-disable-next-line no-unmodified-loop-condition -- deliveries change it while this awaits
      while (inFlight > 0 || nodes.some((node) => node.pending > 0)) await new Promise((resolve) => setTimeout(resolve, 1))
    },
    sent: () => nodes.reduce((s, node) => s + node.stats.sent, 0)
  }
}

async function run (collectMs: number): Promise<void> {
  const N = 100
  const net = network(N, collectMs)
  const { nodes } = net
  let deliveries = 0
  for (const node of nodes) node.on('message', () => { deliveries++ })

  // One message, timed until every node has it.
  let t = performance.now()
  nodes[0]!.broadcast(new Uint8Array(100))
  await net.settle()
  const oneMs = performance.now() - t
  const perMessage = net.sent()
  const havesPerMessage = net.haves()
  if (deliveries !== N - 1) throw new Error(`expected ${N - 1} deliveries, got ${deliveries}`)

  // Many messages from random origins, for throughput.
  deliveries = 0
  t = performance.now()
  for (let m = 0; m < MESSAGES; m++) nodes[Math.floor(Math.random() * N)]!.broadcast(new Uint8Array(100))
  await net.settle()
  const seconds = (performance.now() - t) / 1000
  for (const node of nodes) node.close()

  console.log(`\n### ${N} nodes, random degree-${DEGREE} topology (${net.edges} edges), in-memory links, ${collectMs === 0 ? 'forwarding at once' : `collectMs ${collectMs}`}\n`)
  console.log('| measure | value | reference |')
  console.log('|---|---:|---|')
  console.log(`| time until all ${N} nodes have one message | ${oneMs.toFixed(1)} ms | one process, both cores shared |`)
  console.log(`| packets sent per message | ${perMessage} | minimum ${N - 1} (${(perMessage / (N - 1)).toFixed(2)}×); naive 2 × edges = ${2 * net.edges} (${(perMessage / (2 * net.edges)).toFixed(2)}×) |`)
  console.log(`| \`have\`s sent per message | ${havesPerMessage} | 41 bytes each, against 208 for a packet with a 100-byte payload |`)
  console.log(`| deliveries per second (${MESSAGES} messages) | ${Math.round(deliveries / seconds).toLocaleString('en-US')} | each delivery verifies one ed25519 signature; sodium verifies ~15k/s on one core |`)
}

/** One message at a time from random origins, at growing N: time to reach all, packets, heap per node, CPU per delivery. */
async function scaling (sizes: number[], messages: number, collectMs: number): Promise<void> {
  console.log(`\n### cost growth: ${collectMs === 0 ? 'forwarding at once' : `collectMs ${collectMs}`}, random degree-${DEGREE} topology, ${messages} messages one after another (medians)\n`)
  console.log('| nodes | edges | time until all have a message | packets per message | vs minimum N − 1 | heap per node (nodes + links) | CPU µs per delivery |')
  console.log('|---:|---:|---:|---:|---:|---:|---:|')
  for (const n of sizes) {
    gc()
    const heapBefore = process.memoryUsage().heapUsed
    const net = network(n, collectMs)
    gc()
    const heapPerNode = (process.memoryUsage().heapUsed - heapBefore) / n
    let deliveries = 0
    for (const node of net.nodes) node.on('message', () => { deliveries++ })
    const times: number[] = []
    const packets: number[] = []
    const cpu = process.cpuUsage()
    for (let m = 0; m < messages; m++) {
      const sentBefore = net.sent()
      const t = performance.now()
      net.nodes[Math.floor(Math.random() * n)]!.broadcast(new Uint8Array(100))
      await net.settle()
      times.push(performance.now() - t)
      packets.push(net.sent() - sentBefore)
    }
    const used = process.cpuUsage(cpu)
    if (deliveries !== messages * (n - 1)) throw new Error(`expected ${messages * (n - 1)} deliveries, got ${deliveries}`)
    for (const node of net.nodes) node.close()
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
    const perMessage = median(packets)
    console.log(`| ${n.toLocaleString('en-US')} | ${net.edges.toLocaleString('en-US')} | ${median(times).toFixed(1)} ms | ${perMessage.toLocaleString('en-US')} | ${(perMessage / (n - 1)).toFixed(2)}× | ${(heapPerNode / 1024).toFixed(1)} KiB | ${((used.user + used.system) / deliveries).toFixed(0)} |`)
  }
}

await run(0)
await run(10)
await scaling([100, 1_000, 10_000], 5, 0)
await scaling([100, 1_000, 10_000], 5, 10)
