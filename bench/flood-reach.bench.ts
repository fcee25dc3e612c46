// How far a flood must travel: random degree-6 graphs of 1,000 to 100,000
// relays, simulated as graphs (no crypto, no sockets), with breadth-first
// search from sampled origins. A broadcast with hop limit h reaches exactly
// the relays within h hops of its origin, so the distance distribution says
// which hop limit reaches everyone. Two topologies: a random 6-regular graph
// (every relay picks peers at random) and flood.bench.ts's ring plus random
// chords. Seeded, so every run draws the same graphs.

const DEGREE = 6
const SIZES = [1_000, 10_000, 100_000]
const ORIGINS = 32
const HOPS = [7, 8, 9, 10, 12]

/** mulberry32: a small seeded generator, so the graphs are the same each run. */
function random (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Adjacency lists as CSR arrays: neighbours of v are adj[start[v] .. start[v + 1]). */
interface Graph { n: number, start: Int32Array, adj: Int32Array }

/** Pair up `stubs` (relay ids, one per free slot) at random; self-loops and repeated edges are dropped. */
function graphFrom (n: number, base: Array<[number, number]>, stubs: number[], rand: () => number): Graph {
  for (let i = stubs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    const t = stubs[i]!; stubs[i] = stubs[j]!; stubs[j] = t
  }
  const seen = new Set<number>()
  const edges: Array<[number, number]> = []
  const add = (a: number, b: number): void => {
    if (a === b) return
    const key = a < b ? a * n + b : b * n + a
    if (seen.has(key)) return
    seen.add(key)
    edges.push([a, b])
  }
  for (const [a, b] of base) add(a, b)
  for (let i = 0; i + 1 < stubs.length; i += 2) add(stubs[i]!, stubs[i + 1]!)
  const degree = new Int32Array(n + 1)
  for (const [a, b] of edges) { degree[a + 1]!++; degree[b + 1]!++ }
  const start = new Int32Array(n + 1)
  for (let v = 0; v < n; v++) start[v + 1] = start[v]! + degree[v + 1]!
  const fill = start.slice(0, n)
  const adj = new Int32Array(2 * edges.length)
  for (const [a, b] of edges) { adj[fill[a]!++] = b; adj[fill[b]!++] = a }
  return { n, start, adj }
}

function randomRegular (n: number, rand: () => number): Graph {
  const stubs: number[] = []
  for (let v = 0; v < n; v++) for (let k = 0; k < DEGREE; k++) stubs.push(v)
  return graphFrom(n, [], stubs, rand)
}

function ringAndChords (n: number, rand: () => number): Graph {
  const ring: Array<[number, number]> = []
  const stubs: number[] = []
  for (let v = 0; v < n; v++) {
    ring.push([v, (v + 1) % n])
    for (let k = 2; k < DEGREE; k++) stubs.push(v)
  }
  return graphFrom(n, ring, stubs, rand)
}

/** Relays at each distance from `origin` (index = hops). */
function distances (g: Graph, origin: number, dist: Int32Array, queue: Int32Array): number[] {
  dist.fill(-1)
  dist[origin] = 0
  queue[0] = origin
  let head = 0
  let tail = 1
  const counts = [1]
  while (head < tail) {
    const v = queue[head++]!
    const d = dist[v]! + 1
    for (let i = g.start[v]!; i < g.start[v + 1]!; i++) {
      const w = g.adj[i]!
      if (dist[w] === -1) {
        dist[w] = d
        queue[tail++] = w
        counts[d] = (counts[d] ?? 0) + 1
      }
    }
  }
  return counts
}

console.log(`\n### flood reach on simulated random degree-${DEGREE} graphs (${ORIGINS} random origins per graph)\n`)
console.log('Eccentricity: hops from an origin to its farthest relay. Diameter: at least the largest eccentricity seen, also from the')
console.log('farthest relays found (a double sweep: exact diameters of 100k-node graphs cost 100k searches). Reach: share of relays')
console.log('within h hops of the worst of the origins, i.e. what a broadcast with hop limit h reaches.\n')
console.log(`| topology | relays | edges | eccentricity (min / median / max) | diameter ≥ | ${HOPS.map((h) => `≤ ${h} hops`).join(' | ')} |`)
console.log(`|---|---:|---:|---|---:|${HOPS.map(() => '---:').join('|')}|`)
for (const [name, build] of [['random 6-regular', randomRegular], ['ring + chords', ringAndChords]] as const) {
  for (const n of SIZES) {
    const rand = random(n + name.length)
    const g = build(n, rand)
    const dist = new Int32Array(n)
    const queue = new Int32Array(n)
    const eccentricities: number[] = []
    const worst = HOPS.map(() => 1)
    let connected = true
    let diameter = 0
    for (let o = 0; o < ORIGINS; o++) {
      const counts = distances(g, Math.floor(rand() * n), dist, queue)
      // Double sweep: the farthest relay's own eccentricity is a better bound on the diameter.
      const far = queue[n - 1]!
      diameter = Math.max(diameter, counts.length - 1, distances(g, far, new Int32Array(n), new Int32Array(n)).length - 1)
      const reached = counts.reduce((s, c) => s + c, 0)
      if (reached < n) connected = false
      eccentricities.push(counts.length - 1)
      HOPS.forEach((h, i) => {
        const within = counts.slice(0, h + 1).reduce((s, c) => s + c, 0) / n
        worst[i] = Math.min(worst[i]!, within)
      })
    }
    eccentricities.sort((a, b) => a - b)
    const ecc = `${eccentricities[0]} / ${eccentricities[ORIGINS >> 1]} / ${eccentricities[ORIGINS - 1]}${connected ? '' : ' (not connected)'}`
    const pct = (x: number): string => x === 1 ? '100%' : `${(100 * x).toFixed(x > 0.999 ? 3 : 2)}%`
    console.log(`| ${name} | ${n.toLocaleString('en-US')} | ${(g.adj.length / 2).toLocaleString('en-US')} | ${ecc} | ${diameter} | ${worst.map(pct).join(' | ')} |`)
  }
}
