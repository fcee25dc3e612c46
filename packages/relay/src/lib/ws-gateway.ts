import { fork, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Address } from '@lume/dht'
import { backoffDelay, ErrorCode, LumeError, type Logger } from '@lume/types'
import type { GatewayMessage } from './ws-gateway-messages.js'

/** Options of the custodial dht-relay gateway. */
export interface WebSocketOptions {
  /** TCP port; 0 picks a free one. */
  port: number
  /** Address to listen on. @default '127.0.0.1' (the gateway is custodial: expose it deliberately) */
  host?: string
  /** Pages connected at once; more are refused (1013). @default 256 */
  maxConnections?: number
  /** Pages connected at once from one IP address; more are refused (1008). @default 16 */
  maxPerAddress?: number
  /** A socket that sends nothing for this long is closed. @default 60000 */
  idleTimeoutMs?: number
}

const MAX_BACKOFF_MS = 30_000
/** A gateway that ran this long before dying starts its backoff from the beginning again. */
const STABLE_MS = 60_000

/**
 * Runs the WebSocket gateway (browsers → DHT) in a child process and restarts
 * it when it dies, with backoff: a crash there never takes the relay down.
 */
export class WebSocketGateway {
  private child: ChildProcess | null = null
  private port: number
  private restarts = 0
  /** Restarts since the gateway last ran for STABLE_MS: what the backoff grows with. */
  private consecutive = 0
  private startedAt = 0
  private clientErrors = 0
  private stopped = false
  private closing: Promise<void> | null = null
  private restartTimer: ReturnType<typeof setTimeout> | null = null

  constructor (
    private readonly options: WebSocketOptions,
    private readonly bootstrap: Address[],
    private readonly dhtHost: string,
    private readonly logger: Logger
  ) {
    this.port = options.port
  }

  /** `ws://host:port` once listening. */
  get url (): string {
    const host = this.options.host === undefined || this.options.host === '0.0.0.0' ? '127.0.0.1' : this.options.host
    return `ws://${host}:${this.port}`
  }

  /** How often the gateway was restarted after dying. */
  get restartCount (): number {
    return this.restarts
  }

  /** Client requests that failed and got that client dropped (the gateway kept running). */
  get clientErrorCount (): number {
    return this.clientErrors
  }

  /** The gateway's process id (for tests and operators). */
  get pid (): number | undefined {
    return this.child?.pid
  }

  /** Start the gateway and wait until it listens. */
  async start (): Promise<void> {
    const child = this.spawn()
    this.child = child
    const message = await new Promise<GatewayMessage>((resolve, reject) => {
      child.once('message', resolve)
      child.once('exit', (code) => reject(new LumeError(ErrorCode.CONNECTION_FAILED, `WebSocket gateway exited with ${code} while starting`)))
    })
    if (message.type !== 'listening') throw new LumeError(ErrorCode.CONNECTION_FAILED, `WebSocket gateway failed to start: ${message.message}`)
    // Keep the port on restarts, so clients can come back to the same URL.
    this.port = message.port
    this.startedAt = Date.now()
    child.on('message', (m: GatewayMessage) => {
      if (m.type === 'crash') this.logger.error({ crash: m.message }, 'WebSocket gateway crashed; restarting it')
      if (m.type === 'client-error') {
        this.clientErrors++
        this.logger.debug({ err: m.message }, 'dht-relay gateway dropped a client whose request failed')
      }
    })
    child.once('exit', (code, signal) => this.onExit(code, signal))
    this.logger.info({ url: this.url, pid: child.pid }, 'WebSocket endpoint listening')
  }

  /** Stop the gateway (and stop restarting it). Idempotent: every call returns the same promise. */
  close (): Promise<void> {
    this.closing ??= this.shutdown()
    return this.closing
  }

  private async shutdown (): Promise<void> {
    this.stopped = true
    if (this.restartTimer !== null) clearTimeout(this.restartTimer)
    const child = this.child
    if (child === null || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    if (child.connected) child.disconnect()
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(kill)
  }

  private onExit (code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopped) return
    this.restarts++
    // One crash an hour must not cost what a crash loop costs: the backoff resets after a stable run.
    this.consecutive = Date.now() - this.startedAt >= STABLE_MS ? 1 : this.consecutive + 1
    const delay = backoffDelay(this.consecutive, 250, MAX_BACKOFF_MS)
    this.logger.warn({ code, signal, restarts: this.restarts, delayMs: delay }, 'WebSocket gateway exited; restarting')
    this.restartTimer = setTimeout(() => {
      this.start().catch((err: unknown) => {
        this.logger.error({ err }, 'WebSocket gateway restart failed')
        this.onExit(null, null)
      })
    }, delay)
    this.restartTimer.unref?.()
  }

  private spawn (): ChildProcess {
    const here = fileURLToPath(import.meta.url)
    const fromSource = here.endsWith('.ts')
    const entry = join(dirname(here), fromSource ? 'ws-gateway-process.ts' : 'ws-gateway-process.js')
    // From sources (tests), run the .ts entry through tsx with workspace sources.
    const execArgv = fromSource ? ['--conditions=lume-source', '--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : []
    const args = [
      '--bootstrap', this.bootstrap.map((a) => `${a.host}:${a.port}`).join(','),
      '--dht-host', this.dhtHost,
      '--host', this.options.host ?? '127.0.0.1',
      '--port', String(this.port),
      '--max-connections', String(this.options.maxConnections ?? 256),
      '--max-per-address', String(this.options.maxPerAddress ?? 16),
      '--idle-timeout-ms', String(this.options.idleTimeoutMs ?? 60_000)
    ]
    return fork(entry, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  }
}
