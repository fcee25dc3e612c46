import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { createRelay, type Relay } from '@lume/relay'
import { generateKeyPair } from '@lume/crypto'
import { Flood, floodPlugin } from '../src/index.js'

async function waitFor (check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

// Issue 12 item 7 (flood part): packets and direct messages from a
// neighbour relay count against that neighbour's rate in the relay's budget
// (`flood.message`, per connection and per address), not only Flood's own.
describe('a neighbour relay over its flood rate', () => {
  let testnet: Testnet
  const relays: Relay[] = []
  let a: Flood
  let b: Flood

  beforeAll(async () => {
    testnet = await createTestnet()
    const [ka, kb] = [generateKeyPair(), generateKeyPair()]
    a = new Flood({ keyPair: ka })
    b = new Flood({ keyPair: kb })
    // No refill: exactly `burst` messages are accepted.
    const rate = { perPeer: { perSecond: 0, burst: 6 }, perAddress: { perSecond: 0, burst: 100 } }
    relays.push(await createRelay({ keyPair: ka, bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, plugins: [floodPlugin(a, { rate })] }))
    relays.push(await createRelay({ keyPair: kb, bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, plugins: [floodPlugin(b)] }))
    await relays[1]!.connect(relays[0]!.publicKey)
    await waitFor(() => a.neighbours.length === 1 && b.neighbours.length === 1)
  }, 30_000)
  afterAll(async () => {
    await Promise.all(relays.map(async (r) => await r.close()))
    await testnet?.close()
  }, 30_000)

  it('drops and counts what is over it, packets and direct messages alike', async () => {
    let packets = 0
    let directs = 0
    a.on('message', () => { packets++ })
    a.on('direct', () => { directs++ })
    for (let i = 0; i < 4; i++) b.broadcast(new Uint8Array([i]))
    for (let i = 0; i < 6; i++) b.send(a.publicKey, new Uint8Array([i]))
    await waitFor(() => packets + directs + a.stats.rateLimited === 10)
    expect(packets).toBe(4)
    expect(directs).toBe(2)
    expect(a.stats.rateLimited).toBe(4)
  })

  it('skips a neighbour whose link is backed up instead of queueing for it, and resumes when it drains', async () => {
    let got = 0
    b.on('message', () => { got++ })
    const big = new Uint8Array(60 * 1024)
    // Written in one tick, these fill the stream's buffer: the first send already reports it full.
    for (let i = 0; i < 50; i++) a.broadcast(big)
    expect(a.stats.sent).toBe(1)
    expect(a.stats.backedUp).toBe(49)
    await waitFor(() => got === 1)
    // Protomux's drain event resumed the neighbour.
    await waitFor(() => { a.broadcast(new Uint8Array(1)); return a.stats.sent === 2 })
    await waitFor(() => got === 2)
  })
})
