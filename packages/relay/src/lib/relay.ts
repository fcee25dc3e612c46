import { HyperDHT, type Address, type KeyPair as DHTKeyPair, type Server } from '@lume/dht'
import { MethodRegistry, rawBytesCodec, type RequestObserver, type RpcConnection, type RpcLimits } from '@lume/rpc'
import {
  ErrorCode, LUME_TOPIC, LumeError, TypedEventTarget, silentLogger, toHex,
  type AnswerCacheHook, type Closable, type KeyPair, type Logger, type PeerConnection, type Plugin, type RelayEvents
} from '@lume/types'
import { ConnectionTable } from './connections.js'
import { registerCoreMethods } from './core-methods.js'
import { PluginHost } from './plugin-host.js'
import { RELAY_VERSION } from './version.js'
import { DEFAULT_SOCKET_BUFFER_BYTES, setSocketBuffers } from './socket-buffers.js'
import { WebSocketGateway, type WebSocketOptions } from './ws-gateway.js'

/** Options for {@link createRelay}. */
export interface RelayInit {
  /** The relay's identity. */
  keyPair: KeyPair
  /**
   * DHT bootstrap nodes. Empty means HyperDHT's public bootstrap nodes: pass
   * your own (e.g. a testnet's) for anything but a public relay.
   */
  bootstrap: Address[]
  /** Address the DHT node binds to. @default '0.0.0.0' */
  host?: string
  /** UDP port of the DHT node. @default any free port */
  port?: number
  /** Plugins to start, in order. @default [] */
  plugins?: readonly Plugin[]
  /** Per-plugin configuration, by plugin name. @default {} */
  pluginConfig?: Readonly<Record<string, Readonly<Record<string, unknown>>>>
  /** Announce on the Lume topic so clients can find the relay. @default true */
  announce?: boolean
  /** How often to re-announce. @default 5 min */
  announceIntervalMs?: number
  /** RPC limits for every connection. */
  limits?: Partial<RpcLimits>
  /** How long shutdown waits for requests in flight. @default 5000 */
  shutdownGraceMs?: number
  /** Told about every RPC call served (method, outcome, ms), e.g. for metrics. */
  observe?: RequestObserver
  /** UDP receive/send buffer size for the DHT sockets. @default 4 MiB */
  socketBufferBytes?: number
  /** Serve a WebSocket endpoint through which browsers reach the DHT (in a child process). @default none */
  websocket?: WebSocketOptions
  /** @default a silent logger */
  logger?: Logger
}

/**
 * Create and start a relay: a HyperDHT server on its key, serving RPC from
 * its plugins and the built-in `core.*` and `rpc.broadcast` methods.
 *
 * @example
 * ```ts
 * const relay = await createRelay({ keyPair, bootstrap: testnet.bootstrap, plugins: [myPlugin] })
 * console.log('relay', relay.publicKeyHex)
 * await relay.close()
 * ```
 */
export async function createRelay (init: RelayInit): Promise<Relay> {
  const relay = new Relay(init)
  try {
    await relay.start()
  } catch (err) {
    await relay.close()
    throw err
  }
  return relay
}

/** A running relay; see {@link createRelay}. */
export class Relay implements Closable {
  /** The relay's events (`plugins:loaded`, `peer:connect`, …). */
  readonly events = new TypedEventTarget<RelayEvents>()
  /** Every method the relay serves; plugins add theirs through their API. */
  readonly methods = new MethodRegistry()
  readonly dht: HyperDHT
  private readonly init: RelayInit
  private readonly keyPair: DHTKeyPair
  private readonly logger: Logger
  private readonly server: Server
  private readonly connections: ConnectionTable
  private readonly plugins: PluginHost
  private readonly peers = new Set<PeerConnection>()
  private announceTimer: ReturnType<typeof setInterval> | null = null
  private answerCache: AnswerCacheHook | null = null
  private gateway: WebSocketGateway | null = null
  private closing: Promise<void> | null = null

  /** @internal Use {@link createRelay}. */
  constructor (init: RelayInit) {
    this.init = init
    this.keyPair = { publicKey: Buffer.from(init.keyPair.publicKey), secretKey: Buffer.from(init.keyPair.secretKey) }
    this.logger = init.logger ?? silentLogger
    this.events.onListenerError = (err, type) => this.logger.error({ err, event: type }, 'event listener failed')
    this.dht = new HyperDHT({ bootstrap: init.bootstrap, host: init.host ?? '0.0.0.0', ...(init.port === undefined ? {} : { port: init.port }) })
    this.connections = new ConnectionTable(this.dht, this.keyPair, this.methods, init.limits ?? {}, this.logger, init.observe ?? null, {
      onOpen: (peer) => {
        this.peers.add(peer)
        this.plugins.onConnection(peer)
        this.events.emit('peer:connect', { remotePublicKey: peer.remotePublicKey })
      },
      onClose: (peer) => {
        this.peers.delete(peer)
        this.plugins.onDisconnect(peer)
        this.events.emit('peer:disconnect', { remotePublicKey: peer.remotePublicKey })
      }
    }, {
      // Every connection asks through here, so a cache installed later applies to connections already open.
      lookup: (method, hash) => this.answerCache?.lookup(method, hash) ?? null,
      store: (method, answer, ttlMs) => { this.answerCache?.store(method, answer, ttlMs) }
    })
    this.plugins = new PluginHost({
      keyPair: init.keyPair,
      methods: this.methods,
      events: this.events,
      logger: this.logger,
      pluginConfig: (name) => init.pluginConfig?.[name] ?? {},
      openConnections: () => [...this.peers],
      useAnswerCache: (hook) => {
        if (this.answerCache !== null) throw new LumeError(ErrorCode.ALREADY_REGISTERED, 'this relay already has an answer cache')
        this.answerCache = hook
      },
      connect: async (publicKey, timeoutMs) => {
        const conn = await this.connect(publicKey, timeoutMs)
        return { request: async (method, body, ms) => await conn.call({ name: method, request: rawBytesCodec, response: rawBytesCodec }, body, ms === undefined ? {} : { timeoutMs: ms }) }
      }
    })
    this.server = this.dht.createServer({}, (socket) => {
      if (this.closing !== null) { socket.destroy(); return }
      this.connections.adopt(socket)
    })
    registerCoreMethods({
      version: RELAY_VERSION,
      publicKey: init.keyPair.publicKey,
      methods: this.methods,
      pluginNames: () => this.plugins.names,
      connect: async (key, timeoutMs) => await this.connect(key, timeoutMs)
    })
  }

  get [Symbol.toStringTag] (): string {
    return 'Relay'
  }

  /** The relay's public key. */
  get publicKey (): Uint8Array {
    return this.init.keyPair.publicKey
  }

  /** The relay's public key in hex. */
  get publicKeyHex (): string {
    return toHex(this.init.keyPair.publicKey)
  }

  /** Names of the plugins that started. */
  get pluginNames (): string[] {
    return this.plugins.names
  }

  /** `ws://…` of the WebSocket endpoint, if it runs. */
  get websocketUrl (): string | null {
    return this.gateway?.url ?? null
  }

  /** The WebSocket endpoint's supervisor, if it runs. */
  get websocket (): WebSocketGateway | null {
    return this.gateway
  }

  /** Number of open connections. */
  get connectionCount (): number {
    return this.connections.size
  }

  /** @internal Listen, announce, start plugins. */
  async start (): Promise<void> {
    await this.dht.ready()
    setSocketBuffers(this.dht, this.init.socketBufferBytes ?? DEFAULT_SOCKET_BUFFER_BYTES, this.logger)
    await this.server.listen(this.keyPair)
    this.logger.info({ publicKey: this.publicKeyHex, port: this.dht.address().port }, 'relay listening')
    await this.plugins.startAll(this.init.plugins ?? [])
    if (this.init.websocket !== undefined) {
      this.gateway = new WebSocketGateway(this.init.websocket, this.init.bootstrap, this.init.host ?? '0.0.0.0', this.logger)
      await this.gateway.start()
    }
    if (this.init.announce !== false) {
      await this.announce()
      this.announceTimer = setInterval(() => { void this.announce() }, this.init.announceIntervalMs ?? 5 * 60_000)
      this.announceTimer.unref?.()
    }
  }

  /**
   * An RPC connection to another relay (an open one is reused). Fails with
   * `TIMEOUT` or `CONNECTION_FAILED`; never hangs.
   */
  async connect (publicKey: Uint8Array, timeoutMs = 10_000): Promise<RpcConnection> {
    if (this.closing !== null) throw LumeError.closed('relay')
    return await this.connections.connect(publicKey, timeoutMs)
  }

  /**
   * Shut down: stop accepting, tell plugins (`relay:shutdown`), let requests
   * in flight finish (up to `shutdownGraceMs`), stop plugins in reverse order,
   * close the DHT node. Idempotent.
   */
  async close (reason = 'close() called'): Promise<void> {
    this.closing ??= this.shutdown(reason)
    return await this.closing
  }

  private async shutdown (reason: string): Promise<void> {
    this.logger.info({ reason }, 'relay shutting down')
    if (this.announceTimer !== null) clearInterval(this.announceTimer)
    this.events.emit('relay:shutdown', { reason })
    await this.gateway?.close()
    await this.server.close().catch(() => {})
    await this.connections.closeAll(this.init.shutdownGraceMs ?? 5000)
    await this.plugins.stopAll()
    await this.dht.destroy()
    this.logger.info('relay stopped')
  }

  private async announce (): Promise<void> {
    try {
      await this.dht.announce(LUME_TOPIC, this.keyPair).finished()
      this.logger.debug('announced on the Lume topic')
    } catch (err) {
      this.logger.warn({ err }, 'announcing on the Lume topic failed; will retry')
    }
  }
}
