import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createDHTNode, createProcessTestnet, type PeerProcess } from '@lume/testnet'
import { RpcConnection } from '@lume/rpc'
import { fromHex, toHex } from '@lume/types'
import { generateKeyPair, type KeyPair } from '@lume/crypto'
import { RegistryMethods, registryKey, serializeEntry, signEntry } from '../src/index.js'
import { startRedis, type RedisServer } from './helpers/redis-server.js'

// Kills per backend: 3 in CI, more with LUME_CRASH_RUNS.
const RUNS = Number(process.env.LUME_CRASH_RUNS ?? 3)
const LANES = 4
const ACKS_BEFORE_KILL = 24
const program = fileURLToPath(new URL('./helpers/crash-relay.ts', import.meta.url))

interface Ack { key: KeyPair, revision: number }

describe('crash consistency: SIGKILL a relay mid-stream, restart it on its directory', () => {
  for (const kind of ['lmdb', 'redis'] as const) {
    it(`keeps every acknowledged write (${kind}${kind === 'redis' ? ', appendfsync always, redis-server killed too' : ''})`, async () => {
      const dir = await mkdtemp(join(tmpdir(), `lume-crash-${kind}-`))
      let redis: RedisServer | null = null
      if (kind === 'redis') {
        await mkdir(join(dir, 'redis'))
        redis = await startRedis({ dir: join(dir, 'redis'), durable: true })
      }
      await mkdir(join(dir, 'peer-0'), { recursive: true })
      await writeFile(join(dir, 'peer-0', 'store.json'), JSON.stringify(redis === null ? { kind } : { kind, socket: redis.socket }))
      const init = { peers: 1, program, dir }
      const net = await createProcessTestnet(init)
      const node = createDHTNode(net.bootstrap)
      const acked = new Map<string, Ack>()
      let lost = 0
      try {
        let relay: PeerProcess = net.peers[0]!
        for (let run = 0; run < RUNS; run++) {
          const conn = RpcConnection.open(node.connect(fromHex(relay.publicKey, 32)))
          // Writers on their own keys, one write after another, each recorded once acknowledged.
          let acks = 0
          let killed: Promise<void> | null = null
          const lane = async (): Promise<void> => {
            const key = generateKeyPair()
            for (let revision = 0; ; revision++) {
              try {
                await conn.call(RegistryMethods.set, serializeEntry(signEntry(key, revision, new TextEncoder().encode(`r${revision}`))))
              } catch {
                return // the relay died under this write: it was never acknowledged
              }
              acked.set(toHex(key.publicKey), { key, revision })
              if (++acks === ACKS_BEFORE_KILL) {
                killed = (async () => {
                  process.kill(relay.pid, 'SIGKILL')
                  await relay.stop() // resolves once it has exited
                  conn.destroy()
                })()
              }
            }
          }
          await Promise.all(Array.from({ length: LANES }, lane))
          await killed
          if (redis !== null) {
            await redis.kill()
            redis = await startRedis({ dir: redis.dir, durable: true })
          }
          relay = await net.startPeer(0, init)
          // Every write acknowledged so far, in this run or earlier ones, is there at its revision or later.
          const reader = RpcConnection.open(node.connect(fromHex(relay.publicKey, 32)))
          try {
            for (const { key, revision } of acked.values()) {
              const bytes = await reader.call(RegistryMethods.get, registryKey(key.publicKey))
              const stored = bytes === null ? -1 : Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(34, true))
              if (stored < revision) lost++
            }
          } finally {
            reader.destroy()
          }
        }
      } finally {
        await node.destroy()
        await net.close()
        await redis?.stop()
        await rm(dir, { recursive: true, force: true })
      }
      console.log(`crash consistency (${kind}): ${RUNS} kills, ${acked.size} keys with ${[...acked.values()].reduce((n, a) => n + a.revision + 1, 0)} acknowledged writes, ${lost} lost`)
      expect(lost).toBe(0)
    }, 60_000 + RUNS * 30_000)
  }
})
