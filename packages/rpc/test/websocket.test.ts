import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { webSocketProxy } from '../../../scripts/test-helpers/ws-proxy.ts'
import { ErrorCode, jsonCodec, LumeError } from '@lume/types'
import { generateKeyPair, type KeyPair } from '@lume/crypto'
import { acceptWebSocket, connectWebSocket, defineMethod, MethodRegistry, RpcConnection, type NoiseStream, type WebSocketLike } from '../src/index.js'

const echo = defineMethod({ name: 'test.echo', request: jsonCodec, response: jsonCodec })
const closers: Array<() => Promise<void> | void> = []
afterEach(async () => { for (const close of closers.splice(0).reverse()) await close() })

/** A WebSocket server answering as `keyPair` and serving test.echo over RPC. */
async function server (keyPair: KeyPair): Promise<{ url: string, served: RpcConnection[] }> {
  const methods = new MethodRegistry()
  methods.register({ ...echo, handler: (value) => value })
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await once(wss, 'listening')
  const served: RpcConnection[] = []
  wss.on('connection', (socket, request) => {
    const stream = acceptWebSocket(socket as unknown as WebSocketLike, keyPair, { host: request.socket.remoteAddress ?? '', port: request.socket.remotePort ?? 0 })
    stream.on('error', () => {})
    // RPC starts once the handshake proved the client's key (as the relay does).
    stream.once('open', () => served.push(RpcConnection.open(stream, { methods, keyPair })))
  })
  closers.push(async () => {
    for (const c of served) c.destroy()
    for (const client of wss.clients) client.terminate()
    await new Promise((resolve) => wss.close(resolve))
  })
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, served }
}

function dial (url: string, remotePublicKey: Uint8Array, keyPair?: KeyPair): NoiseStream {
  const stream = connectWebSocket(new WebSocket(url) as unknown as WebSocketLike, remotePublicKey, keyPair === undefined ? {} : { keyPair })
  closers.push(() => stream.destroy())
  return stream
}

/** How the stream ended before opening: resolves with the error it was destroyed with. */
async function failure (stream: NoiseStream): Promise<unknown> {
  return await new Promise((resolve) => {
    stream.once('error', resolve)
    stream.once('open', () => resolve(new Error('opened')))
  })
}

describe('RPC over a WebSocket with a Noise handshake', () => {
  it('calls a method, and each side knows the other by its key', async () => {
    const relay = generateKeyPair()
    const client = generateKeyPair()
    const { url, served } = await server(relay)
    const stream = dial(url, relay.publicKey, client)
    const conn = RpcConnection.open(stream)
    closers.push(() => conn.destroy())
    expect(await conn.call(echo, { hello: 'relay' })).toEqual({ hello: 'relay' })
    expect(Buffer.from(stream.remotePublicKey ?? [])).toEqual(Buffer.from(relay.publicKey))
    expect(Buffer.from(served[0]?.remotePublicKey ?? [])).toEqual(Buffer.from(client.publicKey))
    const signed = await conn.callSigned(echo, [1, 2, 3])
    expect(signed.value).toEqual([1, 2, 3])
    expect(Buffer.from(signed.answer.relayPublicKey)).toEqual(Buffer.from(relay.publicKey))
  })

  it('an endpoint holding another key fails the handshake with HANDSHAKE_FAILED', async () => {
    const expected = generateKeyPair()
    const impostor = generateKeyPair()
    const { url } = await server(impostor)
    const err = await failure(dial(url, expected.publicKey))
    expect(LumeError.hasCode(err, ErrorCode.HANDSHAKE_FAILED)).toBe(true)
  })

  it('a proxy in the middle sees neither the client\'s secret key nor the request', async () => {
    const relay = generateKeyPair()
    const client = generateKeyPair()
    const { url } = await server(relay)
    const proxy = await webSocketProxy(url)
    closers.push(proxy.close)
    const secret = 'the-request-body-a-proxy-must-not-read'
    const conn = RpcConnection.open(dial(proxy.url, relay.publicKey, client))
    closers.push(() => conn.destroy())
    expect(await conn.call(echo, { secret })).toEqual({ secret })
    const wire = Buffer.concat(proxy.seen)
    expect(wire.byteLength).toBeGreaterThan(0)
    expect(wire.includes(Buffer.from(secret))).toBe(false)
    expect(wire.includes(Buffer.from(client.secretKey.subarray(0, 32)))).toBe(false)
    expect(wire.includes(Buffer.from(client.secretKey))).toBe(false)
  })

  it('a closed endpoint fails the dial without a handshake error', async () => {
    const err = await failure(dial('ws://127.0.0.1:1', generateKeyPair().publicKey))
    expect(LumeError.hasCode(err, ErrorCode.HANDSHAKE_FAILED)).toBe(false)
  })
})
