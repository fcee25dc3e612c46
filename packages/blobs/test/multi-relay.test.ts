import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RelayPool } from '@lume/rpc-client'
import { createDHTNode, createProcessTestnet, type ProcessTestnet } from '@lume/testnet'
import type { HyperDHT } from '@lume/dht'
import { equalBytes, fromHex, type LumeError } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { hash as blake3 } from '@lume/bao-stream'
import { BlobClient } from '../src/index.js'
import { testBytes } from './helpers/relays.js'
import type { BlobRelayCommands } from './helpers/relay-commands.js'

const program = fileURLToPath(new URL('./helpers/relay-peer.ts', import.meta.url))
const MiB = 1024 * 1024

describe('three relay processes hold a 64 MiB blob: one lies, one stalls', () => {
  let net: ProcessTestnet<BlobRelayCommands>
  let dht: HyperDHT
  let pool: RelayPool
  let keys: Uint8Array[]
  const content = testBytes(64 * MiB, 42)
  const owner = generateKeyPair()

  beforeAll(async () => {
    net = await createProcessTestnet<BlobRelayCommands>({ peers: 3, program })
    await Promise.all(net.peers.map(async (p) => await p.request('start', { config: {} })))
    keys = net.peers.map((p) => fromHex(p.publicKey, 32))
    dht = createDHTNode(net.bootstrap)
    pool = new RelayPool({ dialer: dht, relays: keys, callTimeoutMs: 60_000 })
  }, 60_000)
  afterAll(async () => {
    await pool?.close()
    await dht?.destroy()
    await net?.close()
  }, 60_000)

  it('downloads the right bytes from all three, drops the liar and the staller, hands on only verified ranges', async () => {
    const uploader = new BlobClient({ pool, relays: keys })
    const { hash } = await uploader.put(content, { keyPair: owner })
    expect(equalBytes(hash, blake3(content))).toBe(true)

    await net.peers[1]!.request('role', { role: 'liar' })
    await net.peers[2]!.request('role', { role: 'staller' })
    const drops: Array<{ relay: string, code: string }> = []
    const client = new BlobClient({ pool, relays: keys, stallMs: 3000 })
    const reader = client.get(hash, { onDrop: (relay, reason: LumeError) => drops.push({ relay, code: reason.code }) }).getReader()
    // Every piece handed on is checked against the original at its offset as it arrives.
    let at = 0
    while (true) {
      const { value, done } = await reader.read()
      if (done) break
      expect(equalBytes(value, content.subarray(at, at + value.byteLength))).toBe(true)
      at += value.byteLength
    }
    expect(at).toBe(content.byteLength)
    // Each dropped once, for what it did; the honest relay never.
    expect(drops.sort((a, b) => a.relay.localeCompare(b.relay))).toEqual([
      { relay: net.peers[1]!.publicKey, code: 'HASH_MISMATCH' },
      { relay: net.peers[2]!.publicKey, code: 'TIMEOUT' }
    ].sort((a, b) => a.relay.localeCompare(b.relay)))
  }, 180_000)

  it('keeps encrypted blobs as ciphertext only: no relay file holds the plaintext, a wrong key is refused, ranges decrypt', async () => {
    await net.peers[1]!.request('role', { role: 'honest' })
    await net.peers[2]!.request('role', { role: 'honest' })
    const secret = new TextEncoder().encode('the launch code is 0000 '.repeat(40_000))
    const client = new BlobClient({ pool, relays: keys, stallMs: 3000 })
    const put = await client.put(secret, { keyPair: owner, encrypt: true })
    expect(put.link).toMatch(/^lume:\/\/blob\/[0-9a-f]{64}#key=[0-9a-f]{64}$/)
    expect(equalBytes(await client.bytes(put.link), secret)).toBe(true)
    expect(equalBytes(await client.bytes(put.link, { start: 100_000, end: 300_123 }), secret.subarray(100_000, 300_123))).toBe(true)
    await expect(client.bytes(put.hash, { key: new Uint8Array(32).fill(7) })).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' })
    // Scan every file every relay keeps for any 24-byte window of the plaintext.
    const needle = Buffer.from(secret.subarray(0, 24))
    for (const peer of net.peers) {
      const { paths } = await peer.request('files', {})
      for (const path of paths) {
        let bytes: Buffer
        try { bytes = await readFile(path) } catch { continue }
        expect(bytes.includes(needle), path).toBe(false)
      }
    }
  }, 120_000)
})
