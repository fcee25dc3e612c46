import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { MemoryStore } from '../src/index.js'
import { LmdbStore } from '../src/lmdb/index.js'
import { RedisStore } from '../src/redis/index.js'
import { startRedis, type RedisServer } from './helpers/redis-server.js'
import { storeContract } from './helpers/store-contract.js'

let lmdbDir: string
let redis: RedisServer
beforeAll(async () => {
  lmdbDir = await mkdtemp(join(tmpdir(), 'lume-lmdb-'))
  redis = await startRedis()
})
afterAll(async () => {
  await rm(lmdbDir, { recursive: true, force: true })
  await redis?.stop()
})

let n = 0
storeContract('memory', async (options) => new MemoryStore(options))
storeContract('LMDB', async (options) => await LmdbStore.open(join(lmdbDir, `db-${n++}`), options))
storeContract('Redis (real redis-server)', async (options) => await RedisStore.connect(redis.socket, { ...options, prefix: `test${n++}:` }))
