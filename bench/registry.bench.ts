// @lume/registry set (parse + verify + compare-and-set) and get, per backend,
// beside the raw ed25519 verify rate (the baseline for set: set is
// verification-bound) and the raw backend put/get rates, in one run.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sodium from 'sodium-native'
import { open } from 'lmdb'
import { Redis } from 'ioredis'
import { generateKeyPair } from '@lume/crypto'
import { MemoryStore, parseEntry, serializeEntry, signEntry, signedBytes, type RegistryStore } from '@lume/registry'
import { LmdbStore } from '@lume/registry/lmdb'
import { RedisStore } from '@lume/registry/redis'

const N = 20_000
const dir = mkdtempSync(join(tmpdir(), 'lume-registry-bench-'))
const keys = Array.from({ length: 200 }, () => generateKeyPair())
// N entries over 200 keys, revisions increasing, so every put stores.
const entries = Array.from({ length: N }, (_, i) => serializeEntry(signEntry(keys[i % 200]!, Math.floor(i / 200), new Uint8Array(48).fill(i & 255))))

async function rate (count: number, fn: (i: number) => Promise<unknown> | unknown, concurrency = 1): Promise<number> {
  const start = performance.now()
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < count) await fn(next++) }))
  return count / ((performance.now() - start) / 1000)
}

const rows: Array<[string, number, string]> = []
const parsed = entries.map((e) => parseEntry(e))
const verifyRate = await rate(N, (i) => {
  const e = parsed[i]!
  sodium.crypto_sign_verify_detached(e.signature, signedBytes(e.revision, e.data), e.pk.subarray(1))
})
rows.push(['ed25519 verify, raw sodium (baseline for set)', verifyRate, '1.00×'])

async function measure (name: string, store: RegistryStore, concurrency: number): Promise<void> {
  const set = await rate(N, async (i) => await store.put(parseEntry(entries[i]!)), concurrency)
  const get = await rate(N, async (i) => await store.get(parsed[i % 200]!.pk), concurrency)
  rows.push([`${name} set (parse + verify + compare-and-set)`, set, `${(set / verifyRate).toFixed(2)}× verify`])
  rows.push([`${name} get`, get, ''])
  await store.close()
}

await measure('memory', new MemoryStore(), 1)

// LMDB: raw put/get of the same bytes, then the store.
const raw = open({ path: join(dir, 'raw'), keyEncoding: 'binary', encoding: 'binary', overlappingSync: false })
const rawPut = await rate(N, (i) => raw.transactionSync(() => raw.putSync(parsed[i]!.pk, entries[i]!)))
await raw.flushed
const rawGet = await rate(N, (i) => raw.get(parsed[i % 200]!.pk))
rows.push(['LMDB raw putSync in a sync transaction', rawPut, ''])
rows.push(['LMDB raw get', rawGet, ''])
await raw.close()
await measure('LMDB (64 in flight, group commit)', await LmdbStore.open(join(dir, 'store')), 64)

// Redis, when redis-server is installed: started here on a unix socket.
if (spawnSync('sh', ['-c', 'command -v redis-server']).status === 0) {
  const socket = join(dir, 'redis.sock')
  const server = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' })
  while (!existsSync(socket)) await new Promise((resolve) => setTimeout(resolve, 20))
  const client = new Redis({ path: socket })
  const rawSet = await rate(N, async (i) => await client.set(`raw:${i % 200}`, Buffer.from(entries[i]!)), 64)
  const rawGetRedis = await rate(N, async (i) => await client.getBuffer(`raw:${i % 200}`), 64)
  rows.push(['Redis raw SET (64 in flight, pipelined)', rawSet, ''])
  rows.push(['Redis raw GET (64 in flight, pipelined)', rawGetRedis, ''])
  client.disconnect()
  await measure('Redis (64 in flight)', await RedisStore.connect(socket), 64)
  server.kill()
}

console.log(`\n### registry, ${N} entries of 48 bytes over 200 keys\n`)
console.log('| operation | ops/s | ratio |')
console.log('|---|---:|---:|')
for (const [name, ops, ratio] of rows) console.log(`| ${name} | ${Math.round(ops).toLocaleString('en-US')} | ${ratio} |`)
rmSync(dir, { recursive: true, force: true })
