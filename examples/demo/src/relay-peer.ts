// One relay of the demo testnet, in a process of its own: flood, cache,
// registry on LMDB in its directory, and a `demo.fortune` method whose
// signed answers are cacheable.
import { join } from 'node:path'
import { createRelay } from '@lume/relay'
import { Flood, floodPlugin } from '@lume/dht-flood'
import { DhtCache } from '@lume/dht-cache'
import { registryPlugin } from '@lume/registry'
import { LmdbStore } from '@lume/registry/lmdb'
import { runPeerProgram } from '@lume/testnet'
import { putRecordOnDht, signRecord } from '@lume/peer-discovery'
import { fromHex, PLUGIN_API_VERSION, stringCodec, toHex } from '@lume/types'
import { keyPairFromSeed } from '@lume/crypto'
import type { RelayCommands } from './commands.js'

await runPeerProgram(async ({ dir, bootstrap, seed }) => {
  const keyPair = keyPairFromSeed(seed)
  const flood = new Flood({ keyPair })
  const cache = new DhtCache({ flood, announceIntervalMs: 200 })
  const store = await LmdbStore.open(join(dir, 'registry'))
  let fortunesComputed = 0
  let lying = false
  let gossipHeard = 0
  flood.on('message', ({ payload }) => { if (new TextDecoder().decode(payload).startsWith('demo/gossip:')) gossipHeard++ })
  const relay = await createRelay({
    keyPair,
    bootstrap,
    host: '127.0.0.1',
    announce: false,
    plugins: [
      floodPlugin(flood),
      cache.plugin,
      registryPlugin({ store, flood }),
      {
        name: 'demo',
        apiVersion: PLUGIN_API_VERSION,
        start (api) {
          api.registerMethod({
            name: 'fortune',
            request: stringCodec,
            response: stringCodec,
            cacheTtlMs: 60_000,
            handler: (question: string) => {
              fortunesComputed++
              return `"${question}": the answer is ${lying ? 666 : question.length * 7 % 43}`
            }
          })
        }
      }
    ]
  })
  // Discoverable by key: the relay's signed record, as a mutable value on the DHT.
  await putRecordOnDht(relay.dht, { publicKey: Buffer.from(keyPair.publicKey), secretKey: Buffer.from(keyPair.secretKey) }, signRecord(keyPair, ['dht']))
  const handlers: { [K in keyof RelayCommands]: (args: RelayCommands[K]['args']) => Promise<RelayCommands[K]['result']> } = {
    info: async () => ({ publicKey: relay.publicKeyHex, pid: process.pid }),
    connect: async ({ publicKey }) => {
      const started = performance.now()
      await relay.connect(fromHex(publicKey, 32))
      return { ms: performance.now() - started }
    },
    fetchCached: async ({ hash }) => {
      const answer = await cache.fetch(fromHex(hash, 32))
      return { found: answer !== null, signer: answer === null ? null : toHex(answer.relayPublicKey) }
    },
    lie: async ({ on }) => { lying = on; return {} },
    gossip: async ({ text }) => ({ seq: flood.broadcast(new TextEncoder().encode(`demo/gossip:${text}`), { ttl: 8 }) }),
    stats: async () => ({
      gossipHeard,
      registryKeys: await store.count(),
      cached: cache.cache.size,
      fortunesComputed,
      floodDelivered: flood.stats.delivered,
      floodSent: flood.stats.sent
    })
  }
  return { publicKey: relay.publicKeyHex, handlers, close: async () => { await relay.close('demo over'); await store.close() } }
})
