import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorCode } from '@lume/types'
import { createTestnet, type Testnet } from '../src/index.js'

describe('in-process testnet', () => {
  let testnet: Testnet
  beforeAll(async () => { testnet = await createTestnet({ peers: 5 }) })
  afterAll(async () => { await testnet?.close() })

  it('binds every node to loopback', () => {
    expect(testnet.bootstrap.every((a) => a.host === '127.0.0.1')).toBe(true)
    for (const peer of testnet.peers) expect(peer.dht.address().host).toBe('127.0.0.1')
  })

  it('starts 5 peers that all reach each other by public key', async () => {
    expect(testnet.peers).toHaveLength(5)
    const pairs = testnet.peers.flatMap((a) => testnet.peers.filter((b) => b !== a).map((b) => [a, b] as const))
    expect(pairs).toHaveLength(20)
    const times = await Promise.all(pairs.map(async ([a, b]) => await a.ping(b.publicKey)))
    for (const ms of times) expect(ms).toBeGreaterThan(0)
  })

  it('gives client nodes that can reach peers', async () => {
    const client = testnet.createNode()
    const socket = client.connect(testnet.peers[0]!.publicKey)
    const echoed = await new Promise<string>((resolve, reject) => {
      socket.on('error', reject)
      socket.once('data', (d: Buffer) => resolve(d.toString()))
      socket.write('hello')
    })
    socket.destroy()
    expect(echoed).toBe('hello')
  })

  it('fails a connect to an unknown key with a typed error, not a hang', async () => {
    const nobody = new Uint8Array(32).fill(7)
    await expect(testnet.peers[0]!.connect(nobody, 3000)).rejects.toMatchObject({ code: expect.stringMatching(/^(CONNECTION_FAILED|TIMEOUT)$/) })
  })
})

describe('testnet lifecycle', () => {
  it('closes idempotently and refuses new peers after close', async () => {
    const testnet = await createTestnet({ peers: 1 })
    await Promise.all([testnet.close(), testnet.close()])
    await expect(testnet.addPeer()).rejects.toMatchObject({ code: ErrorCode.CLOSED })
  })

  it('refuses a backbone of one node (hyperdht cannot connect through it)', async () => {
    await expect(createTestnet({ bootstrapNodes: 1 })).rejects.toThrow(RangeError)
  })
})
