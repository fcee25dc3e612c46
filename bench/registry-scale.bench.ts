// How the registry stores' costs grow with the number of keys they hold:
// each store is filled to K = 10k, 100k (and 1M with LUME_BENCH_KEYS=1000000,
// which takes minutes) and at each K measures new-key writes, updates of
// existing keys and gets of existing keys (64 in flight), and bytes per key.
// Store operations only: a relay verifies each entry's signature before the
// store sees it (a cost that does not depend on K), so the entries here are
// made without signing. Also the Redis Cluster store (3 masters) against the
// single-instance Redis store in the same run. Every store has a key cap
// (maxKeys), as in a relay.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { MemoryStore, type RegistryEntry, type RegistryStore } from '@lume/registry'
import { LmdbStore } from '@lume/registry/lmdb'
import { RedisClusterStore, RedisStore } from '@lume/registry/redis'
import { startRedisCluster } from '../packages/registry/test/helpers/redis-cluster.ts'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const MAX_KEYS = Number(process.env.LUME_BENCH_KEYS ?? 100_000)
const STEPS = [10_000, 100_000, 1_000_000].filter((k) => k <= MAX_KEYS)
const OPS = 6_000
// As a relay runs them: with a key cap (lume-relay's default is 1M), above the largest K here.
const LIMITS = { maxKeys: 2 * MAX_KEYS }
const IN_FLIGHT = 64
const SIGNATURE = new Uint8Array(64).fill(7)
const DATA = new Uint8Array(48).fill(1)
const dir = mkdtempSync(join(tmpdir(), 'lume-registry-scale-'))

/** Key number i: 0xed ‖ SHA-256(i), so keys spread evenly (also over cluster slots). */
function pk (i: number): Uint8Array {
  const out = new Uint8Array(33)
  out[0] = 0xed
  out.set(createHash('sha256').update(String(i)).digest(), 1)
  return out
}
const entry = (i: number, revision: number): RegistryEntry => ({ pk: pk(i), revision, data: DATA, signature: SIGNATURE })

async function run (count: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now()
  let next = 0
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => { while (next < count) await fn(next++) }))
  return count / ((performance.now() - start) / 1000)
}

interface Row { store: string, keys: number, newPerSec: number, setPerSec: number, getPerSec: number, bytesPerKey: number, fillSec: number }
const rows: Row[] = []

/** Fill `store` step by step; `bytes()` is what the store occupies now (heap, file or server memory). */
async function scale (name: string, store: RegistryStore, bytes: () => Promise<number>): Promise<void> {
  const base = await bytes()
  let held = 0
  let revision = 1
  for (const k of STEPS) {
    const fillStart = performance.now()
    const from = held
    await run(k - OPS - from, async (i) => await store.put(entry(from + i, 0)))
    held = k - OPS
    const fillSec = (performance.now() - fillStart) / 1000
    const rates = await measureAt(store, held, revision)
    revision += 3
    held = held + 3 * Math.floor(OPS / 3)
    rows.push({ store: name, keys: k, ...rates, bytesPerKey: (await bytes() - base) / k, fillSec })
  }
  await store.close()
}

/**
 * New-key writes (keys held … held + OPS), updates and gets of random held
 * keys, each the best of 3 rounds of OPS / 3 (the machine is shared); the
 * keys are made before each clock starts.
 */
async function measureAt (store: RegistryStore, held: number, revision: number): Promise<{ newPerSec: number, setPerSec: number, getPerSec: number }> {
  const round = Math.floor(OPS / 3)
  const best = { newPerSec: 0, setPerSec: 0, getPerSec: 0 }
  for (let r = 0; r < 3; r++) {
    const fresh = Array.from({ length: round }, (_, i) => entry(held + r * round + i, 0))
    best.newPerSec = Math.max(best.newPerSec, await run(round, async (i) => await store.put(fresh[i]!)))
    const updates = Array.from({ length: round }, () => entry(Math.floor(Math.random() * (held + (r + 1) * round)), revision + r))
    best.setPerSec = Math.max(best.setPerSec, await run(round, async (i) => await store.put(updates[i]!)))
    const reads = Array.from({ length: round }, () => pk(Math.floor(Math.random() * (held + (r + 1) * round))))
    best.getPerSec = Math.max(best.getPerSec, await run(round, async (i) => await store.get(reads[i]!)))
  }
  return best
}

const heap = async (): Promise<number> => { gc(); return process.memoryUsage().heapUsed }
await scale('memory', new MemoryStore(LIMITS), heap)

const lmdbDir = join(dir, 'lmdb')
await scale('LMDB', await LmdbStore.open(lmdbDir, LIMITS), async () => readdirSync(lmdbDir).reduce((sum, f) => sum + statSync(join(lmdbDir, f)).size, 0))

const usedMemory = (port: string | null, socket: string | null): number => {
  const args = socket === null ? ['-p', port!] : ['-s', socket]
  const info = spawnSync('redis-cli', [...args, 'info', 'memory'], { encoding: 'utf8' }).stdout
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0)
}
if (spawnSync('sh', ['-c', 'command -v redis-server']).status === 0) {
  const socket = join(dir, 'redis.sock')
  const server: ChildProcess = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' })
  while (!existsSync(socket)) await new Promise((resolve) => setTimeout(resolve, 20))
  await scale('Redis, one instance (unix socket)', await RedisStore.connect(socket, LIMITS), async () => usedMemory(null, socket))
  server.kill()
  const cluster = await startRedisCluster(3)
  try {
    const ports = cluster.nodes.map((n) => n.split(':')[1]!)
    await scale('Redis Cluster, 3 masters (loopback TCP)', await RedisClusterStore.connect(cluster.nodes, LIMITS), async () => ports.reduce((sum, p) => sum + usedMemory(p, null), 0))
  } finally {
    await cluster.stop()
  }
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US')
console.log(`\n### registry stores as they grow (${IN_FLIGHT} in flight; each rate the best of 3 rounds of ${fmt(OPS / 3)}; store operations only)\n`)
console.log('| store | keys | new-key writes/s | updates/s | gets/s | bytes per key | new-key writes vs 10k | fill time to here |')
console.log('|---|---:|---:|---:|---:|---:|---:|---:|')
for (const r of rows) {
  const first = rows.find((x) => x.store === r.store)!
  console.log(`| ${r.store} | ${fmt(r.keys)} | ${fmt(r.newPerSec)} | ${fmt(r.setPerSec)} | ${fmt(r.getPerSec)} | ${fmt(r.bytesPerKey)} | ${(r.newPerSec / first.newPerSec).toFixed(2)}× | ${r.fillSec.toFixed(1)} s |`)
}
rmSync(dir, { recursive: true, force: true })
