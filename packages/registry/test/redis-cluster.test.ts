import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRelay, type Relay } from '@lume/relay'
import { RpcConnection } from '@lume/rpc'
import { createTestnet } from '@lume/testnet'
import { generateKeyPair } from '@lume/crypto'
import { RegistryClient, registryKey, signEntry } from '../src/index.js'
import relayRegistryPlugin, { configSchema } from '../src/relay-plugin.js'
import { RedisClusterStore } from '../src/redis/index.js'
import { startRedisCluster, type RedisCluster } from './helpers/redis-cluster.js'
import { storeContract } from './helpers/store-contract.js'

let cluster: RedisCluster
beforeAll(async () => { cluster = await startRedisCluster(3) }, 60_000)
afterAll(async () => { await cluster?.stop() })

const data = (s: string): Uint8Array => new TextEncoder().encode(s)
let n = 0
storeContract('Redis Cluster (3 real masters)', async (options) => await RedisClusterStore.connect(cluster.nodes, { ...options, prefix: `test${n++}:` }))

describe('RedisClusterStore across the cluster', () => {
  it('spreads keys over every master, and every store sharing the prefix hears every write', async () => {
    const prefix = `shared${n++}:`
    const [a, b] = [await RedisClusterStore.connect(cluster.nodes, { prefix }), await RedisClusterStore.connect(cluster.nodes, { prefix })]
    try {
      const heardA = new Set<string>()
      const heardB = new Set<string>()
      a.watch((e) => heardA.add(Buffer.from(e.pk).toString('hex')))
      b.watch((e) => heardB.add(Buffer.from(e.pk).toString('hex')))
      const keys = Array.from({ length: 64 }, () => generateKeyPair())
      await Promise.all(keys.map(async (k, i) => await (i % 2 === 0 ? a : b).put(signEntry(k, 1, data('x')))))
      const all = keys.map((k) => Buffer.from(registryKey(k.publicKey)).toString('hex'))
      await expect.poll(() => [heardA.size, heardB.size], { timeout: 5000 }).toEqual([64, 64])
      expect(all.every((k) => heardA.has(k) && heardB.has(k))).toBe(true)
      for (const k of keys) expect((await b.get(registryKey(k.publicKey)))?.revision).toBe(1)
      expect(await a.count()).toBe(64)
      // Each master holds some of them: the keys really are spread.
      for (const node of cluster.nodes) {
        const size = Number(spawnSync('redis-cli', ['-p', node.split(':')[1]!, 'dbsize'], { encoding: 'utf8' }).stdout.trim())
        expect(size).toBeGreaterThan(0)
      }
    } finally {
      await a.close()
      await b.close()
    }
  })

  it('holds maxKeys across the cluster when two relays race to add new keys', async () => {
    const prefix = `race${n++}:`
    const [a, b] = [await RedisClusterStore.connect(cluster.nodes, { prefix, maxKeys: 10 }), await RedisClusterStore.connect(cluster.nodes, { prefix, maxKeys: 10 })]
    try {
      const keys = Array.from({ length: 40 }, () => generateKeyPair())
      const results = await Promise.allSettled(keys.map(async (k, i) => await (i % 2 === 0 ? a : b).put(signEntry(k, 1, data('x')))))
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10)
      expect(results.filter((r) => r.status === 'rejected').every((r) => (r.reason as { code: string }).code === 'STORE_FULL')).toBe(true)
      expect(await a.count()).toBe(10)
      // Updates of a stored key still go through when full, and it is counted once.
      const stored = keys[results.findIndex((r) => r.status === 'fulfilled')]!
      const full = await Promise.allSettled([a.put(signEntry(stored, 2, data('y'))), b.put(signEntry(stored, 3, data('z')))])
      expect(full.every((r) => r.status === 'fulfilled')).toBe(true)
      expect(await b.count()).toBe(10)
    } finally {
      await a.close()
      await b.close()
    }
  })

  it('counts a new key raced by two relays once', async () => {
    const prefix = `same${n++}:`
    const [a, b] = [await RedisClusterStore.connect(cluster.nodes, { prefix, maxKeys: 2 }), await RedisClusterStore.connect(cluster.nodes, { prefix, maxKeys: 2 })]
    try {
      const k = generateKeyPair()
      await Promise.all([a.put(signEntry(k, 1, data('a'))), b.put(signEntry(k, 2, data('b'))), a.put(signEntry(k, 3, data('c')))])
      expect(await a.count()).toBe(1)
      // Room for exactly one more: the raced key took one reservation, not three.
      await a.put(signEntry(generateKeyPair(), 1, data('x')))
      await expect(b.put(signEntry(generateKeyPair(), 1, data('x')))).rejects.toMatchObject({ code: 'STORE_FULL' })
    } finally {
      await a.close()
      await b.close()
    }
  })

  it('refuses a prefix that would choose the slot, and an unreachable cluster, with typed errors', async () => {
    await expect(RedisClusterStore.connect(cluster.nodes, { prefix: 'a{b}:' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    await expect(RedisClusterStore.connect([])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
  })
})

describe('the registry plugin on a Redis Cluster (store: redis-cluster)', () => {
  it('needs the cluster\'s nodes, as host:port', () => {
    expect(configSchema.safeParse({ store: 'redis-cluster' }).success).toBe(false)
    expect(configSchema.safeParse({ store: 'redis-cluster', redisNodes: ['no-port'] }).success).toBe(false)
    expect(configSchema.safeParse({ store: 'redis-cluster', redisNodes: ['127.0.0.1:7000', '[::1]:7001'] }).success).toBe(true)
  })

  it('two relays sharing the cluster answer each other\'s writes', async () => {
    const testnet = await createTestnet()
    const relays: Relay[] = []
    const prefix = `plugin${n++}:`
    try {
      for (let i = 0; i < 2; i++) {
        relays.push(await createRelay({
          keyPair: generateKeyPair(),
          bootstrap: testnet.bootstrap,
          host: '127.0.0.1',
          announce: false,
          requirePlugins: true,
          plugins: [relayRegistryPlugin()],
          pluginConfig: { registry: configSchema.parse({ store: 'redis-cluster', redisNodes: cluster.nodes, redisPrefix: prefix }) }
        }))
      }
      const [a, b] = relays.map((relay) => RpcConnection.open(testnet.createNode().connect(relay.publicKey)))
      try {
        const writer = generateKeyPair()
        await new RegistryClient(a!).set(writer, data('on A'))
        const got = await new RegistryClient(b!).get(registryKey(writer.publicKey))
        expect(Buffer.from(got!.data).toString()).toBe('on A')
      } finally {
        a!.destroy()
        b!.destroy()
      }
    } finally {
      for (const relay of relays) await relay.close()
      await testnet.close()
    }
  }, 60_000)
})
