import { createServer, type Server } from 'node:net'
import IRC from 'irc-framework'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { createRelay, type Relay } from '@lume/relay'
import { RpcConnection } from '@lume/rpc'
import { CoreMethods } from '@lume/rpc/core'
import { toHex } from '@lume/types'
import { generateKeyPair, keyPairFromSeed } from '@lume/crypto'
import { DhtSource, PeerDiscovery, encodeRecord, signRecord, toBase64url } from '../src/index.js'
import { discoveryPlugin, IrcSource } from '../src/node/index.js'
import { freePort, startInspircd, startNgircd } from './helpers/ngircd.js'
import { expectIdempotentClose } from '../../../scripts/test-helpers/closable.ts'

describe('discovering a real relay (real ngircd, private HyperDHT)', () => {
  let testnet: Testnet
  let irc: { port: number, stop: () => Promise<void> }
  let wsIrc: { port: number, stop: () => Promise<void> }
  let relay: Relay
  const keyPair = keyPairFromSeed(new Uint8Array(32).fill(42))
  let silent: Server
  let silentPort: number

  beforeAll(async () => {
    testnet = await createTestnet()
    irc = await startNgircd()
    wsIrc = await startInspircd()
    relay = await createRelay({
      keyPair,
      bootstrap: testnet.bootstrap,
      host: '127.0.0.1',
      announce: false,
      plugins: [discoveryPlugin({ addresses: ['dht'], irc: [{ host: '127.0.0.1', port: irc.port }, { host: '127.0.0.1', port: wsIrc.port, websocket: true }] })]
    })
    // An "IRC server" that accepts connections and never says a word.
    silentPort = await freePort()
    silent = createServer((socket) => socket.on('error', () => {})).listen(silentPort, '127.0.0.1')
  }, 30_000)
  afterAll(async () => {
    await relay?.close()
    await irc?.stop()
    await wsIrc?.stop()
    silent?.close()
    await testnet?.close()
  }, 30_000)

  const pingByKey = async (): Promise<number> => {
    const conn = RpcConnection.open(testnet.createNode().connect(relay.publicKey))
    try { return await conn.call(CoreMethods.ping, null) } finally { conn.destroy() }
  }

  it('over IRC: a client asks in the channel, verifies the relay\'s record, then connects and pings it', async () => {
    const discovery = new PeerDiscovery({ sourceTimeoutMs: 10_000 })
    discovery.register('irc', new IrcSource({ host: '127.0.0.1', port: irc.port }))
    try {
      const found = await discovery.discover(relay.publicKey)
      expect(found.source).toBe('irc')
      expect(found.record.addresses).toEqual(['dht'])
      expect(await pingByKey()).toBeGreaterThan(0)
    } finally {
      await discovery.close()
    }
  }, 20_000)

  it('an IRC source closes once: twice at once and again after, and looks nothing up once closed', async () => {
    const source = new IrcSource({ host: '127.0.0.1', port: irc.port })
    const discovery = new PeerDiscovery({ sourceTimeoutMs: 10_000 })
    discovery.register('irc', source)
    try {
      await discovery.discover(relay.publicKey) // connected
      await expectIdempotentClose(source)
      await expect(source.find(relay.publicKey, new AbortController().signal)).rejects.toMatchObject({ code: 'CLOSED' })
    } finally {
      await discovery.close()
    }
  }, 20_000)

  it('over IRC on WebSocket (a real inspircd): discovered by key, then pinged', async () => {
    const discovery = new PeerDiscovery({ sourceTimeoutMs: 15_000 })
    discovery.register('irc-ws', new IrcSource({ host: '127.0.0.1', port: wsIrc.port, websocket: true }))
    try {
      const found = await discovery.discover(relay.publicKey)
      expect(found.source).toBe('irc-ws')
      expect(toHex(found.record.publicKey)).toBe(relay.publicKeyHex)
      expect(await pingByKey()).toBeGreaterThan(0)
    } finally {
      await discovery.close()
    }
  }, 30_000)

  it('over the DHT: the relay\'s record is a mutable value under its key', async () => {
    const discovery = new PeerDiscovery()
    discovery.register('dht', new DhtSource(testnet.createNode()))
    const found = await discovery.discover(relay.publicKey)
    expect(found.source).toBe('dht')
    expect(toHex(found.record.publicKey)).toBe(relay.publicKeyHex)
  })

  it('ignores forged answers and junk in the channel, and survives an IRC server that never answers', async () => {
    // A troll in the channel: junk, and a forged record for the relay's key (whichever answer comes first, only the valid one counts).
    const troll = new IRC.Client()
    const mallory = generateKeyPair()
    await new Promise<void>((resolve) => {
      troll.on('registered', () => troll.join('#lume-relays'))
      troll.on('join', () => resolve())
      troll.connect({ host: '127.0.0.1', port: irc.port, nick: 'troll', username: 'troll', gecos: 'troll', auto_reconnect: false })
    })
    troll.on('message', (event: { message: string }) => {
      if (!event.message.startsWith('LUME? ')) return
      for (let i = 0; i < 20; i++) troll.say('#lume-relays', `junk ${i} LUME! nonsense`)
      const forged = { ...signRecord(mallory, ['evil:666']), publicKey: relay.publicKey }
      troll.say('#lume-relays', `LUME! ${relay.publicKeyHex} ${toBase64url(encodeRecord(forged))}`)
    })
    const discovery = new PeerDiscovery({ sourceTimeoutMs: 10_000 })
    discovery.register('irc', new IrcSource({ host: '127.0.0.1', port: irc.port }))
    discovery.register('dead-irc', new IrcSource({ host: '127.0.0.1', port: silentPort, connectTimeoutMs: 1000 }))
    try {
      const found = await discovery.discover(relay.publicKey)
      expect(found.record.addresses).toEqual(['dht'])
      // And with only the silent server, discovery fails in bounded time with a typed error.
      const onlyDead = new PeerDiscovery({ sourceTimeoutMs: 3000 })
      onlyDead.register('dead-irc', new IrcSource({ host: '127.0.0.1', port: silentPort, connectTimeoutMs: 1000 }))
      // Bounded by the source timeout (a hang would fail the test by its own timeout; no wall-clock threshold).
      await expect(onlyDead.discover(relay.publicKey)).rejects.toMatchObject({ code: 'NOT_FOUND', details: { sources: { 'dead-irc': expect.stringMatching(/TIMEOUT|CONNECTION_FAILED/) } } })
      await onlyDead.close()
    } finally {
      troll.quit()
      await discovery.close()
    }
  }, 30_000)
})
