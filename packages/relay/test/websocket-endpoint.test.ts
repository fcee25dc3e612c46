import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import HyperDHT from 'hyperdht'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { connectWebSocket, RpcConnection, type WebSocketLike } from '@lume/rpc'
import { CoreMethods } from '@lume/rpc/core'
import { ErrorCode, LumeError } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { createRelay, type Relay } from '../src/index.js'

const LIMITS = { maxPerAddress: 4, maxConnections: 64, handshakeTimeoutMs: 300, maxMessageBytes: 64 * 1024 }

/** A WebSocket from a chosen loopback address (each 127.x.y.z is its own "address" to the relay). */
function socketFrom (url: string, localAddress = '127.0.0.1'): WebSocket {
  const ws = new WebSocket(url, { localAddress })
  ws.on('error', () => {})
  return ws
}

async function closed (ws: WebSocket): Promise<number> {
  if (ws.readyState === WebSocket.CLOSED) return -1
  const [code] = await once(ws, 'close') as [number]
  return code
}

describe('the relay\'s WebSocket endpoint (Noise, then RPC)', () => {
  let testnet: Testnet
  let relay: Relay
  let url: string
  const honest = async (localAddress = '127.0.0.1'): Promise<RpcConnection> => {
    const conn = RpcConnection.open(connectWebSocket(socketFrom(url, localAddress) as unknown as WebSocketLike, relay.publicKey))
    return conn
  }

  beforeAll(async () => {
    testnet = await createTestnet()
    relay = await createRelay({ keyPair: HyperDHT.keyPair(), bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, websocket: { port: 0, host: '127.0.0.1', ...LIMITS } })
    url = relay.websocketUrl ?? ''
  })
  afterAll(async () => {
    await relay?.close()
    await testnet?.close()
  })

  it('serves RPC to a client that dialed the relay by key, signed answers included', async () => {
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)
    const conn = await honest()
    const info = await conn.call(CoreMethods.info, null)
    expect(info.publicKey).toBe(relay.publicKeyHex)
    const { answer } = await conn.callSigned(CoreMethods.info, null)
    expect(Buffer.from(answer.relayPublicKey).toString('hex')).toBe(relay.publicKeyHex)
    expect(relay.websocket?.connections).toBe(1)
    conn.destroy()
  })

  it('a client that expects another key fails the handshake with HANDSHAKE_FAILED; the relay is unaffected', async () => {
    const stream = connectWebSocket(socketFrom(url) as unknown as WebSocketLike, generateKeyPair().publicKey)
    const [err] = await once(stream as unknown as NodeJS.EventEmitter, 'error')
    expect(LumeError.hasCode(err, ErrorCode.HANDSHAKE_FAILED)).toBe(true)
    const conn = await honest()
    expect((await conn.call(CoreMethods.info, null)).publicKey).toBe(relay.publicKeyHex)
    conn.destroy()
  })

  it('garbage, text frames and oversized messages close that socket only', async () => {
    const garbage = socketFrom(url, '127.0.0.2')
    await once(garbage, 'open')
    garbage.send(Buffer.alloc(1000, 0xff))
    expect(await closed(garbage)).toBeGreaterThan(0)
    const text = socketFrom(url, '127.0.0.2')
    await once(text, 'open')
    text.send('hello')
    expect(await closed(text)).toBeGreaterThan(0)
    const big = socketFrom(url, '127.0.0.2')
    await once(big, 'open')
    big.send(Buffer.alloc(LIMITS.maxMessageBytes + 1))
    expect(await closed(big)).toBe(1009)
    const conn = await honest()
    expect((await conn.call(CoreMethods.info, null)).publicKey).toBe(relay.publicKeyHex)
    conn.destroy()
  })

  it('drops a socket that never completes the handshake', async () => {
    const before = relay.websocket?.stats.handshakeTimeouts ?? 0
    const silent = socketFrom(url, '127.0.0.3')
    await once(silent, 'open')
    await closed(silent)
    expect(relay.websocket?.stats.handshakeTimeouts).toBe(before + 1)
  })

  it('caps sockets per address: idle sockets from one address do not lock out another', async () => {
    const idle: WebSocket[] = []
    for (let i = 0; i < LIMITS.maxPerAddress + 3; i++) idle.push(socketFrom(url, '127.0.0.4'))
    const codes = await Promise.all(idle.slice(LIMITS.maxPerAddress).map(closed))
    expect(codes).toEqual(Array(3).fill(1008))
    expect(relay.websocket?.stats.refusedPerAddress).toBeGreaterThanOrEqual(3)
    // While the attacker's allowance is full, an honest client from elsewhere is served.
    const conn = await honest('127.0.0.5')
    expect((await conn.call(CoreMethods.info, null)).publicKey).toBe(relay.publicKeyHex)
    conn.destroy()
    for (const ws of idle) ws.terminate()
  })

  it('1,000 idle sockets from many addresses: the relay stays up and an honest client is served', async () => {
    const idle: WebSocket[] = []
    // 250 addresses x 4 sockets: within every per-address cap, so only the global cap and the handshake timeout protect.
    for (let a = 0; a < 250; a++) for (let i = 0; i < 4; i++) idle.push(socketFrom(url, `127.1.${a}.1`))
    await Promise.all(idle.map(async (ws) => await Promise.race([once(ws, 'open'), closed(ws)])))
    expect(relay.websocket?.connections).toBeLessThanOrEqual(LIMITS.maxConnections)
    // The endpoint is full of sockets that proved nothing: the newcomer takes the oldest one's slot.
    const conn = await honest('127.0.0.7')
    expect((await conn.call(CoreMethods.info, null)).publicKey).toBe(relay.publicKeyHex)
    expect(relay.websocket?.stats.shedUnauthenticated).toBeGreaterThan(0)
    conn.destroy()
    // None of them ever handshakes: every one is dropped, and the slots come back.
    await Promise.all(idle.map(closed))
    await expect.poll(() => relay.websocket?.connections).toBe(0)
  }, 30_000)
})

describe('wss:// with the operator\'s certificate', () => {
  it('serves the same Noise-authenticated RPC inside TLS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lume-wss-'))
    const testnet = await createTestnet()
    let relay: Relay | null = null
    try {
      // A self-signed certificate for 127.0.0.1, made by Debian's openssl.
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' })
      relay = await createRelay({
        keyPair: HyperDHT.keyPair(),
        bootstrap: testnet.bootstrap,
        host: '127.0.0.1',
        announce: false,
        websocket: { port: 0, host: '127.0.0.1', tls: { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') } }
      })
      expect(relay.websocketUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/)
      const ca = readFileSync(join(dir, 'cert.pem'))
      const socket = new WebSocket(relay.websocketUrl ?? '', { ca })
      socket.on('error', () => {})
      const conn = RpcConnection.open(connectWebSocket(socket as unknown as WebSocketLike, relay.publicKey))
      expect((await conn.call(CoreMethods.info, null)).publicKey).toBe(relay.publicKeyHex)
      conn.destroy()
    } finally {
      await relay?.close()
      await testnet.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
