import type { Codec } from './codec.js'
import type { Logger } from './logger.js'
import type { TypedEventTarget } from './events.js'
import type { BudgetLimits, PeerBudget, RateLimits } from './budget.js'
import type { MethodDefinition, StreamMethodDefinition } from './method.js'
import type { SignedAnswer } from './signed-answer.js'

/**
 * The version of the plugin interface. A relay refuses a plugin built for a
 * version it does not speak, instead of failing later in odd ways.
 */
export const PLUGIN_API_VERSION = 1

/** What a method handler learns about the call it serves. */
export interface CallContext {
  /** Full method name, `plugin.method`. */
  method: string
  /** The caller's public key (its Noise static key), 32 bytes. */
  remotePublicKey: Uint8Array
  /** The caller's IP address as the relay sees it ('' when unknown). */
  remoteHost: string
  /** Aborted when the caller cancels, disconnects, or the request (or stream) times out. */
  signal: AbortSignal
  /** Charge state or work to the caller; released when its connection closes. */
  budget: PeerBudget
}

/**
 * Lets a plugin answer cacheable methods from a cache: the relay asks
 * `lookup` before running a cacheable method for a signed call, and hands
 * every answer it signs for one to `store`.
 */
export interface AnswerCacheHook {
  lookup (method: string, requestHash: Uint8Array): SignedAnswer | null
  store (method: string, answer: SignedAnswer, ttlMs: number): void
}

/** A raw RPC channel to another relay, for plugins that talk relay to relay. */
export interface PeerRpc {
  /** Call `method` with an encoded request body; resolves with the encoded answer. */
  request (method: string, body: Uint8Array, timeoutMs?: number): Promise<Uint8Array>
}

/** A Protomux channel, as plugins use it. */
export interface ChannelLike {
  /** Messages in the order they were declared; `send` returns false when the stream is backed up. */
  readonly messages: Array<{ send (message: unknown): boolean }>
  open (handshake?: unknown): void
  close (): void
  readonly closed: boolean
}

/**
 * A minimal view of a Protomux instance, enough for plugins to open their own
 * channel on a peer connection (as dht-flood does).
 */
export interface MuxLike {
  /** A new channel, or null if one with this protocol and id is already open (with `unique`). */
  createChannel (options: {
    protocol: string
    id?: Uint8Array | null
    unique?: boolean
    messages?: Array<{ encoding: Codec<never>, onmessage?: (message: never) => void }>
    onopen?: () => void
    onclose?: () => void
  }): ChannelLike | null
}

/** An open, authenticated connection to another peer. */
export interface PeerConnection {
  /** The remote peer's public key, 32 bytes. */
  remotePublicKey: Uint8Array
  /** The peer's IP address as the relay sees it ('' when unknown). */
  remoteHost: string
  /** True when this relay dialed the connection (it chose the peer, a relay it connected to). */
  initiator: boolean
  /**
   * Resolves true once the peer is known to be a relay: this relay dialed it,
   * the operator listed its key, or a dial-back to its key was answered by a
   * server holding that key. Resolves false otherwise; never rejects.
   * Only relays carry relay-to-relay traffic such as the flood.
   */
  isRelay (): Promise<boolean>
  /** Charge state or work to this peer; released when the connection closes. */
  budget: PeerBudget
  /** The connection's multiplexer: open channels here. */
  mux: MuxLike
  /** Close the connection (with an optional reason). */
  destroy (err?: Error): void
}

/**
 * A protocol a plugin runs on every peer connection. `onConnection` is called
 * for connections already open when the protocol is registered and for every
 * later one; its return value, if a function, runs when the connection closes.
 */
export interface ProtocolHandler {
  /** Protomux protocol name, e.g. `lume/flood/v1`. */
  name: string
  onConnection (connection: PeerConnection): void | (() => void)
}

/** Label values of one series of a metric, by label name. */
export type MetricLabels<L extends string> = Partial<Record<L, string | number>>

/** How a plugin declares a metric (see {@link PluginMetrics}). */
export interface MetricInit<L extends string> {
  /**
   * Label names. The host keeps at most a fixed number of label sets per
   * metric (documented in the relay's README); later ones are folded into
   * one series whose labels are all `other`, so values a peer chooses cannot
   * grow the relay's memory. @default none
   */
  labelNames?: readonly L[]
  /**
   * Read when metrics are scraped, for values kept elsewhere: a gauge takes
   * the value read; a counter takes it as a running total (it never goes
   * down). Only for metrics without labels. @default none
   */
  read?: () => number | Promise<number>
  /** Histogram bucket upper bounds. @default the host's latency buckets, in seconds */
  buckets?: readonly number[]
}

/** A count that only goes up (Prometheus counter). */
export interface CounterMetric<L extends string = never> {
  /** Add `value` (default 1; must not be negative). */
  inc (labels?: MetricLabels<L>, value?: number): void
}

/** A value that goes up and down (Prometheus gauge). */
export interface GaugeMetric<L extends string = never> {
  set (value: number, labels?: MetricLabels<L>): void
}

/** A distribution of observed values (Prometheus histogram). */
export interface HistogramMetric<L extends string = never> {
  observe (value: number, labels?: MetricLabels<L>): void
}

/**
 * Metrics registration, a host service: each metric a plugin declares is
 * exported by the relay (e.g. on `/metrics`) as `lume_<plugin>_<name>`.
 * Names are lower-case letters, digits and `_`; a name declared twice throws
 * `ALREADY_REGISTERED`.
 */
export interface PluginMetrics {
  counter<L extends string = never> (name: string, help: string, init?: MetricInit<L>): CounterMetric<L>
  gauge<L extends string = never> (name: string, help: string, init?: MetricInit<L>): GaugeMetric<L>
  histogram<L extends string = never> (name: string, help: string, init?: MetricInit<L>): HistogramMetric<L>
}

/** Events every relay emits, by `noun:verb` name. Plugins' own events are `<plugin>:<event>`. */
export interface RelayEvents {
  /** All configured plugins have started (or failed and been reported). */
  'plugins:loaded': { plugins: string[], failed: string[] }
  /** The relay is shutting down; plugins should stop taking new work. */
  'relay:shutdown': { reason: string }
  /** A peer connected. */
  'peer:connect': { remotePublicKey: Uint8Array }
  /** A peer disconnected. */
  'peer:disconnect': { remotePublicKey: Uint8Array }
}

/**
 * What a relay gives each plugin: everything is scoped to that plugin, so
 * plugins cannot step on each other's names, config or logs.
 */
export interface PluginAPI {
  /** {@link PLUGIN_API_VERSION} of the relay. */
  readonly apiVersion: number
  /** The plugin's name. */
  readonly name: string
  /** The relay's public key. */
  readonly relayPublicKey: Uint8Array
  /** This plugin's configuration: the relay config under `plugin.<name>`. */
  readonly config: Readonly<Record<string, unknown>>
  /** A logger whose lines carry `plugin: <name>`. */
  readonly logger: Logger
  /** The relay's events. */
  readonly events: TypedEventTarget<RelayEvents>
  /** Serve a method as `<plugin>.<name>`; callable at once, also on connections already open. Throws `ALREADY_REGISTERED` if taken. */
  registerMethod<Req, Res> (method: MethodDefinition<Req, Res> | StreamMethodDefinition<Req, Res>): void
  /** Run a protocol on every connection, present and future. Throws `ALREADY_REGISTERED` if the name is taken. */
  registerProtocol (protocol: ProtocolHandler): void
  /** Sign `message` with the relay key under a context (see `sign` in @lume/crypto). */
  sign (context: string, message: Uint8Array): Uint8Array
  /** Answer cacheable methods from this cache (one per relay; throws `ALREADY_REGISTERED` for a second). */
  useAnswerCache (hook: AnswerCacheHook): void
  /** An RPC channel to another relay by public key (an open connection is reused; never hangs). */
  connect (publicKey: Uint8Array, timeoutMs?: number): Promise<PeerRpc>
  /**
   * Declare a kind of state peers can hold (see {@link PeerBudget.hold}).
   * The operator's config (`limits.budgets.<kind>`) overrides `defaults`.
   * Throws `ALREADY_REGISTERED` if the kind is taken.
   */
  defineBudget (kind: string, defaults: BudgetLimits): void
  /** Declare a rate peers spend (see {@link PeerBudget.spend}); config `limits.rates.<kind>` overrides. */
  defineRate (kind: string, defaults: RateLimits): void
  /**
   * Put `value` on the DHT as a mutable record under the relay's key, signed
   * by the relay (the plugin never holds the secret key). A newer `seq`
   * replaces an older record; re-put before the DHT forgets it (~20 min).
   */
  putRecord (value: Uint8Array, seq: number): Promise<void>
  /** Offer a service to plugins started later (`api.use(<this plugin's name>)`), e.g. the flood's `Flood`. */
  provide (service: unknown): void
  /**
   * The service a plugin started earlier provided, or undefined when it is
   * not loaded. Declare required ones in {@link Plugin.dependsOn}: the relay
   * then starts them first and refuses to start without them.
   */
  use<T> (name: string): T | undefined
  /** Declare metrics, exported as `lume_<plugin>_<name>` (see {@link PluginMetrics}). */
  readonly metrics: PluginMetrics
  /** A directory of this plugin's own for state (`<relay dir>/plugins/<name>`), or null when the relay has none. */
  readonly dataDir: string | null
}

/** A relay plugin: a name, and what to do on start and stop. */
export interface Plugin {
  /** {@link PLUGIN_API_VERSION} the plugin was written for. */
  readonly apiVersion: number
  /** Unique name: the namespace of its methods, config and events. */
  readonly name: string
  /** Plugins (by name) that must start before this one; the relay fails start-up without them. */
  readonly dependsOn?: readonly string[]
  /** Plugins (by name) this one uses when they are loaded: started before it if configured, not required. */
  readonly uses?: readonly string[]
  /** Called once at relay start; the relay awaits it. */
  start (api: PluginAPI): void | Promise<void>
  /** Called once at shutdown, in reverse start order. */
  stop? (): void | Promise<void>
}
