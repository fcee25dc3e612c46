import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { acceptWebSocket, type NoiseStream } from '@lume/rpc'
import { LumeError, type Logger } from '@lume/types'
import type { KeyPair } from '@lume/crypto'
import type { TrafficMeter } from './traffic.js'

/** Options of the relay's WebSocket endpoint (browsers and other clients speak Lume over it directly). */
export interface WebSocketEndpointOptions {
  /** TCP port; 0 picks a free one. */
  port: number
  /** Address to listen on. @default '0.0.0.0' */
  host?: string
  /** Serve `wss://` with these PEM files (the operator's certificate and key). @default plain `ws://` (still end-to-end encrypted by Noise) */
  tls?: { certFile: string, keyFile: string }
  /** WebSocket clients connected at once; more are refused (close code 1013). @default 1024 */
  maxConnections?: number
  /** Clients connected at once from one IP address; more are refused (close code 1008). @default 16 */
  maxPerAddress?: number
  /** A client that has not completed the Noise handshake by then is dropped. @default 5000 */
  handshakeTimeoutMs?: number
  /** Largest WebSocket message accepted; a bigger one closes that socket (code 1009). @default 2 MiB */
  maxMessageBytes?: number
}

/** The endpoint's limits with defaults filled in. */
export type ResolvedEndpointOptions = Required<Omit<WebSocketEndpointOptions, 'tls'>> & Pick<WebSocketEndpointOptions, 'tls'>

/** Fill in the documented defaults and check the numbers. */
export function resolveEndpointOptions (options: WebSocketEndpointOptions): ResolvedEndpointOptions {
  const resolved = {
    host: '0.0.0.0',
    maxConnections: 1024,
    maxPerAddress: 16,
    handshakeTimeoutMs: 5000,
    maxMessageBytes: 2 * 1024 * 1024,
    ...options
  }
  for (const key of ['port', 'maxConnections', 'maxPerAddress', 'handshakeTimeoutMs', 'maxMessageBytes'] as const) {
    const value = resolved[key]
    if (!Number.isInteger(value) || value < 0) throw LumeError.invalidArgument(`websocket.${key} must be a non-negative integer, got ${value}`)
  }
  return resolved
}

/** Counts what the endpoint refused, for operators and tests. */
export interface EndpointStats {
  accepted: number
  refusedFull: number
  /** Sockets that had not finished their handshake, closed to make room for a new one when full. */
  shedUnauthenticated: number
  refusedPerAddress: number
  handshakeTimeouts: number
  handshakeFailures: number
}

/**
 * The relay's WebSocket endpoint: each WebSocket runs the Noise handshake in
 * which the relay proves its key (the client's secret key never leaves the
 * client), then RPC exactly as over HyperDHT. Every limit is per socket or
 * per address; a bad frame closes that socket only.
 */
export class WebSocketEndpoint {
  readonly stats: EndpointStats = { accepted: 0, refusedFull: 0, shedUnauthenticated: 0, refusedPerAddress: 0, handshakeTimeouts: 0, handshakeFailures: 0 }
  private readonly options: ResolvedEndpointOptions
  private readonly http: HttpServer
  private readonly wss: WebSocketServer
  private readonly perAddress = new Map<string, number>()
  /** Sockets still in their handshake, oldest first: the first to go when the endpoint is full. */
  private readonly unauthenticated = new Set<WebSocket>()
  /** The address each open socket counts against. */
  private readonly hosts = new Map<WebSocket, string>()
  private open = 0
  private closing: Promise<void> | null = null
  private listening = false

  private constructor (options: WebSocketEndpointOptions, private readonly keyPair: KeyPair, private readonly onStream: (stream: NoiseStream) => void, private readonly logger: Logger, private readonly traffic: TrafficMeter | null) {
    this.options = resolveEndpointOptions(options)
    const tls = this.options.tls
    this.http = tls === undefined
      ? createHttpServer()
      : createHttpsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) })
    this.http.on('request', (_req, res) => { res.writeHead(426, { 'content-type': 'text/plain' }).end('Lume relay endpoint: connect with a WebSocket\n') })
    this.wss = new WebSocketServer({ server: this.http, maxPayload: this.options.maxMessageBytes, perMessageDeflate: false })
    this.wss.on('connection', (socket, request) => this.accept(socket, request))
    // A failure to listen is the caller's to report (one clear line); later server errors are logged.
    this.wss.on('error', (err) => { if (this.listening) this.logger.warn({ err }, 'websocket endpoint error') })
  }

  /**
   * Listen on the configured address. Fails with the listen error (e.g.
   * EADDRINUSE) instead of picking another port. `traffic`, if given, counts
   * every socket's bytes on the wire.
   */
  static async listen (options: WebSocketEndpointOptions, keyPair: KeyPair, onStream: (stream: NoiseStream) => void, logger: Logger, traffic: TrafficMeter | null = null): Promise<WebSocketEndpoint> {
    const endpoint = new WebSocketEndpoint(options, keyPair, onStream, logger, traffic)
    endpoint.http.listen(endpoint.options.port, endpoint.options.host)
    await Promise.race([once(endpoint.http, 'listening'), once(endpoint.http, 'error').then(([err]) => { throw err })])
    endpoint.listening = true
    return endpoint
  }

  /** `ws://host:port` (or `wss://`) a client on this machine can use. */
  get url (): string {
    const { port } = this.http.address() as AddressInfo
    const host = this.options.host === '0.0.0.0' || this.options.host === '::' ? '127.0.0.1' : this.options.host
    return `${this.options.tls === undefined ? 'ws' : 'wss'}://${host.includes(':') ? `[${host}]` : host}:${port}`
  }

  /** WebSocket clients connected now. */
  get connections (): number {
    return this.open
  }

  /** Stop accepting and close every socket. Idempotent. */
  close (): Promise<void> {
    this.closing ??= (async () => {
      for (const client of this.wss.clients) client.terminate()
      await new Promise<void>((resolve) => this.wss.close(() => resolve()))
      await new Promise<void>((resolve) => this.http.close(() => resolve()))
    })()
    return this.closing
  }

  /** Forget a socket's slot and its address's count. */
  private release (socket: WebSocket): void {
    const host = this.hosts.get(socket)
    this.hosts.delete(socket)
    this.unauthenticated.delete(socket)
    if (host === undefined) return
    const left = (this.perAddress.get(host) ?? 1) - 1
    if (left <= 0) this.perAddress.delete(host)
    else this.perAddress.set(host, left)
  }

  private accept (socket: WebSocket, request: IncomingMessage): void {
    const host = request.socket.remoteAddress ?? ''
    if (this.closing !== null) { socket.terminate(); return }
    if (this.open >= this.options.maxConnections) {
      // Full: make room by dropping the oldest socket that has not proven
      // anything yet, so idle sockets cannot lock honest clients out.
      const oldest = this.unauthenticated.values().next()
      if (oldest.done === true) { this.stats.refusedFull++; socket.close(1013, 'relay full'); return }
      this.unauthenticated.delete(oldest.value)
      this.stats.shedUnauthenticated++
      oldest.value.terminate()
      this.open-- // its 'close' handler will not count it again
      this.release(oldest.value)
    }
    const fromHost = this.perAddress.get(host) ?? 0
    if (fromHost >= this.options.maxPerAddress) { this.stats.refusedPerAddress++; socket.close(1008, 'too many connections from this address'); return }
    this.open++
    this.perAddress.set(host, fromHost + 1)
    this.hosts.set(socket, host)
    this.unauthenticated.add(socket)
    const tcp = request.socket
    const untrack = this.traffic?.track(() => ({ received: tcp.bytesRead, sent: tcp.bytesWritten }))
    socket.once('close', () => {
      untrack?.()
      if (!this.hosts.has(socket)) return
      this.open--
      this.release(socket)
    })
    socket.on('error', () => socket.terminate())
    const stream = acceptWebSocket(socket as unknown as Parameters<typeof acceptWebSocket>[0], this.keyPair, { host, port: request.socket.remotePort ?? 0 })
    stream.on('error', () => {})
    const timer = setTimeout(() => { this.stats.handshakeTimeouts++; stream.destroy() }, this.options.handshakeTimeoutMs)
    timer.unref?.()
    stream.once('close', () => clearTimeout(timer))
    void stream.opened.then((ok) => {
      clearTimeout(timer)
      this.unauthenticated.delete(socket)
      if (!ok) { this.stats.handshakeFailures++; return }
      this.stats.accepted++
      this.onStream(stream)
    })
  }
}
