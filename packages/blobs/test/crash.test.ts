import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { RelayPool } from '@lume/rpc-client'
import { createDHTNode, createProcessTestnet, type PeerProcess } from '@lume/testnet'
import { equalBytes, fromHex } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { BlobClient } from '../src/index.js'
import { testBytes } from './helpers/relays.js'
import type { BlobRelayCommands } from './helpers/relay-commands.js'

const program = fileURLToPath(new URL('./helpers/relay-peer.ts', import.meta.url))
const LANES = 3
const ACKS_BEFORE_KILL = 12

describe('crash safety: SIGKILL a relay while uploads stream in, restart it on its directory', () => {
  it('keeps every acknowledged upload, whole and verified, and leaves no half-written blob behind', async () => {
    const init = { peers: 1, program }
    const net = await createProcessTestnet<BlobRelayCommands>(init)
    const dht = createDHTNode(net.bootstrap)
    const pools: RelayPool[] = []
    const client = (relay: PeerProcess<BlobRelayCommands>): BlobClient => {
      const pool = new RelayPool({ dialer: dht, relays: [fromHex(relay.publicKey, 32)] })
      pools.push(pool)
      return new BlobClient({ pool, relays: [fromHex(relay.publicKey, 32)], stallMs: 5000 })
    }
    try {
      let relay = net.peers[0]!
      await relay.request('start', { config: {} })
      const writer = client(relay)
      const acked: Array<{ hash: Uint8Array, content: Uint8Array }> = []
      let killed: Promise<unknown> | null = null
      let seed = 1
      const lane = async (): Promise<void> => {
        const owner = generateKeyPair()
        while (true) {
          const content = testBytes(150_000 + (seed * 7919) % 100_000, seed++)
          try {
            acked.push({ hash: (await writer.put(content, { keyPair: owner })).hash, content })
          } catch {
            return // the relay died under this upload: it was never acknowledged
          }
          if (acked.length === ACKS_BEFORE_KILL) {
            process.kill(relay.pid, 'SIGKILL')
            // Uploads under way fail at once when their connections go, instead of waiting out a timeout.
            killed = relay.stop().then(async () => await pools[0]!.close())
          }
        }
      }
      await Promise.all(Array.from({ length: LANES }, lane))
      await killed
      expect(acked.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL)
      relay = await net.startPeer(0, init)
      await relay.request('start', { config: {} })
      const reader = client(relay)
      for (const { hash, content } of acked) expect(equalBytes(await reader.bytes(hash), content)).toBe(true)
      // Unfinished uploads' temp files are swept at start; nothing else but whole blobs is left.
      const blobDir = join(relay.dir, 'relay', 'plugins', 'blobs')
      expect(await readdir(join(blobDir, 'tmp'))).toEqual([])
      const names = await readdir(join(blobDir, 'blobs'))
      expect(names.every((n) => /^[0-9a-f]{64}\.(data|obao|meta)$/.test(n))).toBe(true)
      expect(names.length % 3).toBe(0)
    } finally {
      await Promise.allSettled(pools.map(async (p) => await p.close()))
      await dht.destroy()
      await net.close()
    }
  }, 120_000)
})
