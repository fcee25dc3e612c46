import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ErrorCode, LumeError, type Logger } from '@lume/types'
import type { Relay } from './relay.js'
import { relayStatus } from './relay-status.js'
import { STATUS_PAGE } from './status-page.js'

/** Options of the relay's HTTP listener (config section `http`). */
export interface OpsServerOptions {
  /** Port; 0 = any free port. */
  port: number
  /** Bind address. @default '127.0.0.1' */
  host?: string
  /** Most connections open at once. @default 32 */
  maxConnections?: number
  /** Longest time to receive a request's headers, ms. @default 5000 */
  headersTimeoutMs?: number
}

/** Largest request line plus headers accepted, bytes. */
export const OPS_MAX_HEADER_BYTES = 8192
/** Longest URL accepted, characters. */
export const OPS_MAX_URL_CHARS = 2048

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'"
}

/**
 * The relay's operations listener: `/metrics` (Prometheus), `/healthz`
 * (the process answers), `/readyz` (the DHT node joined and the relay
 * serves its key; 503 otherwise), `/status.json` and the status page at `/`.
 * Fixed routes only (no files are served), GET and HEAD only, no request
 * bodies, bounded headers and URL, timeouts and a connection cap.
 */
export class OpsServer {
  private relay: Relay | null = null
  private startedAt = Date.now()
  private closing: Promise<void> | null = null

  private constructor (private readonly server: Server, private readonly logger: Logger) {}

  /** Listen; a taken port fails with `CONNECTION_FAILED` (one line), never another port. */
  static async listen (options: OpsServerOptions, logger: Logger): Promise<OpsServer> {
    const headersTimeout = options.headersTimeoutMs ?? 5000
    // Node checks the header and request timeouts only every connectionsCheckingInterval (30 s by default):
    // check often, or a client trickling its headers holds a connection slot for 30 s.
    const server = createServer({
      maxHeaderSize: OPS_MAX_HEADER_BYTES,
      headersTimeout,
      requestTimeout: headersTimeout * 2,
      keepAliveTimeout: 5000,
      connectionsCheckingInterval: Math.min(1000, Math.ceil(headersTimeout / 4))
    })
    server.maxConnections = options.maxConnections ?? 32
    server.maxRequestsPerSocket = 100
    server.setTimeout(headersTimeout * 2)
    const ops = new OpsServer(server, logger)
    server.on('request', (req, res) => ops.handle(req, res))
    // A client that breaks the protocol gets a 400 and its socket closed; nothing reaches the process.
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      const status = err.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request'
      if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`)
      else socket.destroy()
    })
    const host = options.host ?? '127.0.0.1'
    server.listen(options.port, host)
    try {
      await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => { throw err })])
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      throw new LumeError(ErrorCode.CONNECTION_FAILED, code === 'EADDRINUSE'
        ? `HTTP port ${options.port} on ${host} is in use (set http.port to a free port, or 0 for any)`
        : `HTTP listener on ${host}:${options.port} failed: ${(err as Error).message}`, { cause: err })
    }
    server.on('error', (err) => logger.warn({ err }, 'http listener error'))
    return ops
  }

  /** `http://host:port` of the listener. */
  get url (): string {
    const { address, port } = this.server.address() as AddressInfo
    const host = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  }

  /** Serve this relay (until then, `/readyz` answers 503 and the rest 503 too). */
  attach (relay: Relay): void {
    relay.metrics.withProcessMetrics()
    this.relay = relay
    this.startedAt = Date.now()
  }

  /** Stop listening and close every connection. Idempotent. */
  async close (): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
    await this.closing
  }

  private handle (req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      this.send(res, 405, 'only GET and HEAD\n', { allow: 'GET, HEAD', connection: 'close' })
      return
    }
    // No route takes a body: refuse one rather than read it.
    if ((req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined) {
      this.send(res, 413, 'no request body accepted\n', { connection: 'close' })
      return
    }
    if ((req.url ?? '').length > OPS_MAX_URL_CHARS) {
      this.send(res, 414, 'URL too long\n', { connection: 'close' })
      return
    }
    const path = (req.url ?? '/').split('?')[0]
    const relay = this.relay
    switch (path) {
      case '/healthz':
        this.send(res, 200, 'ok\n')
        return
      case '/readyz': {
        const why = relay === null ? 'starting' : this.closing !== null ? 'stopping' : notReady(relay)
        this.send(res, why === null ? 200 : 503, why === null ? 'ready\n' : `not ready: ${why}\n`)
        return
      }
      case '/metrics':
        if (relay === null) { this.send(res, 503, 'starting\n'); return }
        relay.metrics.registry.metrics().then(
          (text) => this.send(res, 200, text, { 'content-type': relay.metrics.registry.contentType }),
          (err: unknown) => {
            this.logger.error({ err }, 'collecting metrics failed')
            this.send(res, 500, 'collecting metrics failed\n')
          })
        return
      case '/status.json':
        if (relay === null) { this.send(res, 503, '{"starting":true}\n', { 'content-type': 'application/json' }); return }
        this.send(res, 200, JSON.stringify(relayStatus(relay, this.startedAt)), { 'content-type': 'application/json' })
        return
      case '/':
        this.send(res, 200, STATUS_PAGE, { 'content-type': 'text/html; charset=utf-8' })
        return
      default:
        this.send(res, 404, 'not found\n')
    }
  }

  private send (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    if (res.headersSent || res.destroyed) return
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS, 'content-length': Buffer.byteLength(body), ...headers })
    res.end(body)
  }
}

/** Why the relay is not ready, or null when it is. */
function notReady (relay: Relay): string | null {
  const dht = relay.dhtState
  if (!dht.bootstrapped) return 'the DHT node has not joined the DHT'
  if (!dht.listening) return 'the relay is not serving its key'
  return null
}
