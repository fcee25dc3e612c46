import c from 'compact-encoding'
import Protomux from 'protomux'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type HyperDHT from 'hyperdht'
import { createTestnet, type Testnet } from '@lume/testnet'
import { createRelay, type Relay } from '@lume/relay'
import { encode, Protocol, SigningContext, type ChannelLike } from '@lume/types'
import { generateKeyPair, sign } from '@lume/crypto'
import { Flood, floodPlugin, packetCodec, packetMessage } from '../src/index.js'

async function waitFor (check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

// Issue 12 item 3: an ordinary client connection opened the flood channel
// itself and injected packets it signed, with TTL 255; the relay delivered
// and forwarded them. Clients are not flood neighbours.
describe('a client connection is not a flood neighbour', () => {
  let testnet: Testnet
  let relay: Relay
  let flood: Flood
  let client: HyperDHT
  const got: string[] = []

  beforeAll(async () => {
    testnet = await createTestnet()
    const keyPair = generateKeyPair()
    flood = new Flood({ keyPair })
    flood.on('message', ({ payload }) => got.push(new TextDecoder().decode(payload)))
    relay = await createRelay({ keyPair, bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, plugins: [floodPlugin(flood)] })
    client = testnet.createNode()
  }, 30_000)
  afterAll(async () => {
    await client?.destroy()
    await relay?.close()
    await testnet?.close()
  }, 30_000)

  it('drops a self-signed TTL 255 packet from a client, delivers and forwards nothing, and closes its flood channel', async () => {
    const socket = client.connect(relay.publicKey)
    await new Promise<void>((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject) })
    const mallory = generateKeyPair()
    const payload = new TextEncoder().encode('amplify me')
    const seq = Date.now() * 1000
    const packet = encode(packetCodec, { origin: mallory.publicKey, seq, ttl: 255, payload, signature: sign(SigningContext.FLOOD_PACKET, packetMessage(mallory.publicKey, seq, payload), mallory.secretKey) })
    let closed = false
    const channel = Protomux.from(socket).createChannel({
      protocol: Protocol.FLOOD,
      messages: [{ encoding: c.raw }, { encoding: c.raw }],
      onclose: () => { closed = true }
    }) as ChannelLike | null
    channel?.open()
    channel?.messages[0]?.send(packet)
    // The relay closes the channel once the peer is known not to be a relay;
    // whatever arrived before that was dropped and counted.
    await waitFor(() => closed || got.length > 0)
    expect(got).toEqual([])
    expect(flood.stats.delivered).toBe(0)
    expect(flood.stats.sent).toBe(0)
    expect(flood.neighbours).toHaveLength(0)
    socket.destroy()
  })
})
