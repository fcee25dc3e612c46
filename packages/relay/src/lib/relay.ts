import { HyperDHT, type Address, type KeyPair as DHTKeyPair, type NoiseSecretStream, type Server } from '@lume/dht'
import { MethodRegistry, type RequestObserver, type RpcConnection } from '@lume/rpc'
import { BudgetBook, rawBytesCodec } from '@lume/rpc/internal'
import {
  ErrorCode, LUME_TOPIC, LumeError, TypedEventTarget, toHex,
  type AnswerCacheHook, type Closable, type CloseOptions, type Logger, type PeerConnection, type Plugin, type RelayEvents
} from '@lume/types'
import type { KeyPair } from '@lume/crypto'
import { ConnectionTable, type ConnectionHooks } from './connections.js'
import { registerCoreMethods } from './core-methods.js'
import { PluginHost } from './plugin-host.js'
import { DEFAULT_MAX_HEAP_FRACTION, DEFAULT_RELAY_BUDGETS, DEFAULT_RELAY_RATES, RelayBudget, rpcBudgetOverrides, type RelayLimits } from './limits.js'
import { errorsToStderr } from './loud-logger.js'
import { MemoryGuard } from './memory-guard.js'
import { RelayMetrics, type DhtState, type Neighbour } from './relay-metrics.js'
import { RelayVerifier } from './relay-verifier.js'
import { TrafficMeter } from './traffic.js'
import { RELAY_VERSION } from './version.js'
import { DEFAULT_SOCKET_BUFFER_BYTES, setSocketBuffers } from './socket-buffers.js'
import { WebSocketGateway, type WebSocketOptions } from './ws-gateway.js'
import { WebSocketEndpoint, type WebSocketEndpointOptions } from './ws-endpoint.js'

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
  /** The relay's directory: plugins keep state under `<dataDir>/plugins/<name>`. @default none (plugins get null) */
  dataDir?: string
  /** Per-plugin configuration, by plugin name. @default {} */
  pluginConfig?: Readonly<Record<string, Readonly<Record<string, unknown>>>>
  /** Announce on the Lume topic so clients can find the relay. @default true */
  announce?: boolean
  /** How often to re-announce. @default 5 min */
  announceIntervalMs?: number
  /**
   * RPC limits for every connection, the relay-wide budgets and rates by kind
   * (`budgets`, `rates`: operator overrides of what the relay and plugins
   * define), and the memory guard. See the README's "Security".
   */
  limits?: RelayLimits
  /** Keys of relays this operator trusts as relays without a dial-back (for the flood). @default [] */
  relays?: readonly Uint8Array[]
  /** Fail start-up (and release everything) if any plugin fails to start. @default false: log it and go on */
  requirePlugins?: boolean
  /** Plugins (by name) that never fail start-up, even with `requirePlugins`: a failure is logged and they are left out. @default none */
  optionalPlugins?: readonly string[]
  /** How long shutdown waits for requests in flight. @default 5000 */
  shutdownGraceMs?: number
  /** Told about every RPC call served (method, outcome, ms), e.g. for metrics. */
  observe?: RequestObserver
  /** UDP receive/send buffer size for the DHT sockets. @default 4 MiB */
  socketBufferBytes?: number
  /**
   * Serve Lume over WebSocket: clients (browsers too) run the Noise handshake
   * in which this relay proves its key, then RPC as over HyperDHT.
   * @default none
   */
  websocket?: WebSocketEndpointOptions
  /**
   * The older, custodial path: a `@hyperswarm/dht-relay` gateway (in a child
   * process) through which a page reaches the whole DHT. The page hands its
   * DHT secret key to this relay, so it is off by default and bound to
   * 127.0.0.1 unless `host` says otherwise. Prefer `websocket`.
   * @default none
   */
  dhtRelayGateway?: WebSocketOptions
  /** @default errors to stderr, nothing else */
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
    // Everything start() opened (DHT sockets, server, plugins, gateway) is released before the error goes up.
    await relay.close({ reason: `start failed: ${err instanceof Error ? err.message : String(err)}` })
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
  /** Every budget and rate peers are charged to (the relay's, the RPC layer's, the plugins'). */
  readonly book: BudgetBook
  /** The relay's metrics (Prometheus registry, per-second timeline, recent errors); plugins add theirs through their API. */
  readonly metrics: RelayMetrics
  private readonly traffic = new TrafficMeter()
  private readonly init: RelayInit
  private readonly verifier: RelayVerifier
  private readonly keyPair: DHTKeyPair
  private readonly logger: Logger
  private readonly server: Server
  private readonly connections: ConnectionTable
  private readonly plugins: PluginHost
  private readonly peers = new Set<PeerConnection>()
  private announceTimer: ReturnType<typeof setInterval> | null = null
  private answerCache: AnswerCacheHook | null = null
  private gateway: WebSocketGateway | null = null
  private endpoint: WebSocketEndpoint | null = null
  private closing: Promise<void> | null = null
  private started = false

  /** @internal Use {@link createRelay}. */
  constructor (init: RelayInit) {
    this.init = init
    this.keyPair = { publicKey: Buffer.from(init.keyPair.publicKey), secretKey: Buffer.from(init.keyPair.secretKey) }
    this.logger = init.logger ?? errorsToStderr()
    this.events.onListenerError = (err, type) => this.logger.error({ err, event: type }, 'event listener failed')
    // Limits are checked before anything holding a socket is made.
    const { budgets: _budgets, rates, maxHeapFraction, trustedHosts = [], ...rpcLimits } = init.limits ?? {}
    const guard = new MemoryGuard(maxHeapFraction ?? DEFAULT_MAX_HEAP_FRACTION, this.logger)
    this.book = new BudgetBook({ budgets: rpcBudgetOverrides(init.limits ?? {}), ...(rates === undefined ? {} : { rates }), overloaded: () => guard.overloaded(), logger: this.logger })
    this.book.defineBudget(RelayBudget.CONNECTIONS, DEFAULT_RELAY_BUDGETS[RelayBudget.CONNECTIONS])
    this.book.defineRate(RelayBudget.DIAL_BACKS, DEFAULT_RELAY_RATES[RelayBudget.DIAL_BACKS])
    this.dht = new HyperDHT({ bootstrap: init.bootstrap, host: init.host ?? '0.0.0.0', ...(init.port === undefined ? {} : { port: init.port }) })
    this.verifier = new RelayVerifier({ dht: this.dht, keyPair: this.keyPair, listed: init.relays ?? [] })
    this.metrics = new RelayMetrics({
      connections: () => this.connections.size,
      websocketClients: () => this.endpoint?.connections ?? 0,
      traffic: () => this.traffic.totals(),
      neighbours: () => this.neighbours(),
      dht: () => this.dhtState,
      plugins: () => (init.plugins ?? []).map((p) => ({ name: String(p?.name), up: this.closing === null && this.plugins.names.includes(p?.name) })),
      serves: (method) => this.methods.get(method) !== undefined
    }, { version: RELAY_VERSION, publicKey: toHex(init.keyPair.publicKey) })
    const observe = init.observe
    const hooks: ConnectionHooks = {
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
    }
    this.connections = new ConnectionTable({
      dht: this.dht,
      keyPair: this.keyPair,
      methods: this.methods,
      limits: rpcLimits,
      logger: this.logger,
      observe: observe === undefined ? this.metrics.observe : (method, outcome, ms) => { this.metrics.observe(method, outcome, ms); observe(method, outcome, ms) },
      traffic: this.traffic,
      hooks,
      book: this.book,
      verifier: this.verifier,
      // Browsers reach the relay through the WebSocket gateway's DHT node: one address for all of them.
      trustedHosts: new Set([...trustedHosts, ...(init.dhtRelayGateway === undefined ? [] : ['127.0.0.1'])]),
      answerCache: {
        // Every connection asks through here, so a cache installed later applies to connections already open.
        lookup: (method, hash) => this.answerCache?.lookup(method, hash) ?? null,
        store: (method, answer, ttlMs) => { this.answerCache?.store(method, answer, ttlMs) }
      }
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
      },
      book: this.book,
      putRecord: async (value, seq) => {
        // hyperdht signs the mutable value itself: the key stays in the host.
        await this.dht.mutablePut({ publicKey: Buffer.from(this.keyPair.publicKey), secretKey: Buffer.from(this.keyPair.secretKey) }, Buffer.from(value), { seq })
      },
      dataDir: init.dataDir ?? null,
      metrics: (name) => this.metrics.forPlugin(name)
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

  /** `ws://…` (or `wss://…`) of the relay's WebSocket endpoint, if it runs. */
  get websocketUrl (): string | null {
    return this.endpoint?.url ?? null
  }

  /** The WebSocket endpoint, if it runs (its connection count and refusal stats). */
  get websocket (): WebSocketEndpoint | null {
    return this.endpoint
  }

  /** `ws://…` of the custodial dht-relay gateway, if it runs. */
  get gatewayUrl (): string | null {
    return this.gateway?.url ?? null
  }

  /** The dht-relay gateway's supervisor, if it runs. */
  get dhtRelayGateway (): WebSocketGateway | null {
    return this.gateway
  }

  /** Number of open connections. */
  get connectionCount (): number {
    return this.connections.size
  }

  /** Connected peers known to be relays: ones this relay dialed, listed ones, and ones a dial-back proved. */
  neighbours (): Neighbour[] {
    const byKey = new Map<string, Neighbour>()
    for (const peer of this.peers) {
      if (!peer.initiator && !this.verifier.isKnownRelay(peer.remotePublicKey)) continue
      const publicKey = toHex(peer.remotePublicKey)
      byKey.set(publicKey, { publicKey, host: peer.remoteHost, outbound: peer.initiator || (byKey.get(publicKey)?.outbound ?? false) })
    }
    return [...byKey.values()]
  }

  /** Whether the DHT node has joined the DHT, is reachable directly, and serves the relay's key. */
  get dhtState (): DhtState {
    return { bootstrapped: this.dht.bootstrapped, reachable: !this.dht.firewalled, listening: this.started && this.closing === null }
  }

  /** @internal Listen, announce, start plugins. */
  async start (): Promise<void> {
    await this.dht.ready()
    setSocketBuffers(this.dht, this.init.socketBufferBytes ?? DEFAULT_SOCKET_BUFFER_BYTES, this.logger)
    const port = this.dht.address().port
    // HyperDHT quietly binds another port when the one asked for is taken: an operator's firewall rule would miss it.
    if (this.init.port !== undefined && this.init.port !== 0 && port !== this.init.port) {
      throw new LumeError(ErrorCode.CONNECTION_FAILED, `UDP port ${this.init.port} is in use (set dht.port to a free port, or 0 for any)`, { details: { port: this.init.port } })
    }
    await this.server.listen(this.keyPair)
    this.logger.info({ publicKey: this.publicKeyHex, port }, 'relay listening')
    const { failed } = await this.plugins.startAll(this.init.plugins ?? [])
    // An override of a kind no one defined is most likely a typo: say so rather than ignore it.
    for (const kind of Object.keys(this.init.limits?.budgets ?? {})) {
      if (this.book.budgetLimits(kind) === undefined) this.logger.warn({ kind }, `limits.budgets.${kind}: no such budget kind (ignored)`)
    }
    for (const kind of Object.keys(this.init.limits?.rates ?? {})) {
      if (this.book.rateLimits(kind) === undefined) this.logger.warn({ kind }, `limits.rates.${kind}: no such rate kind (ignored)`)
    }
    const fatal = failed.filter((name) => !(this.init.optionalPlugins ?? []).includes(name))
    if (fatal.length > 0 && this.init.requirePlugins === true) {
      throw new LumeError(ErrorCode.PLUGIN_FAILED, `plugin${fatal.length > 1 ? 's' : ''} ${fatal.join(', ')} failed to start`, { details: { failed: fatal } })
    }
    if (this.init.websocket !== undefined) {
      this.endpoint = await WebSocketEndpoint.listen(this.init.websocket, this.init.keyPair, (stream) => {
        if (this.closing !== null) { stream.destroy(); return }
        // The same connection handling as a HyperDHT socket: a secret stream is a secret stream.
        this.connections.adopt(stream as unknown as NoiseSecretStream)
      }, this.logger, this.traffic)
      this.logger.info({ url: this.endpoint.url }, 'websocket endpoint listening')
    }
    if (this.init.dhtRelayGateway !== undefined) {
      this.gateway = new WebSocketGateway(this.init.dhtRelayGateway, this.init.bootstrap, this.init.host ?? '0.0.0.0', this.logger)
      await this.gateway.start()
    }
    if (this.init.announce !== false) {
      await this.announce()
      this.announceTimer = setInterval(() => { void this.announce() }, this.init.announceIntervalMs ?? 5 * 60_000)
      this.announceTimer.unref?.()
    }
    this.started = true
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
   * Shut down: stop accepting, tell plugins (`relay:shutdown` with
   * `reason`), let requests in flight finish (up to `graceMs`, default the
   * relay's `shutdownGraceMs`), stop plugins in reverse order, close the DHT
   * node. Idempotent: every call returns the first call's promise (later
   * options are ignored).
   */
  close (options: CloseOptions = {}): Promise<void> {
    this.closing ??= this.shutdown(options.reason ?? 'close() called', options.graceMs ?? this.init.shutdownGraceMs ?? 5000)
    return this.closing
  }

  private async shutdown (reason: string, graceMs: number): Promise<void> {
    this.logger.info({ reason }, 'relay shutting down')
    if (this.announceTimer !== null) clearInterval(this.announceTimer)
    this.events.emit('relay:shutdown', { reason })
    await this.endpoint?.close()
    await this.gateway?.close()
    await this.server.close().catch(() => {})
    await this.connections.closeAll(graceMs)
    await this.plugins.stopAll()
    this.verifier.close()
    await this.dht.destroy()
    if (this.started) this.logger.info('relay stopped')
    else this.logger.error({ reason }, 'relay did not start; everything it opened is closed')
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
