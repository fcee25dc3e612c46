import { z } from 'zod'

const count = z.number().int().min(0).optional()
const rate = z.object({ perSecond: z.number().min(0).optional(), burst: z.number().min(0).optional() }).optional()
// Kinds have dots (`relay.connections`), which flags and env split into levels:
// up to three levels are taken and joined again by flattenKinds.
const budget = z.object({ perPeer: count, perAddress: count, global: count })
const budgetTree = budget.catchall(budget.catchall(budget))
const rateLimits = z.object({ perPeer: rate, perAddress: rate })
const rateTree = rateLimits.catchall(rateLimits.catchall(rateLimits))

const level = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])

/**
 * The relay's configuration, as read by `lume-relay` from `<dir>/*.yaml|json`,
 * `LUME_*` environment variables and flags. See docs/relay.md for every key.
 */
export const relayConfigSchema = z.object({
  dht: z.object({
    /** `host:port` bootstrap nodes; empty = HyperDHT's public ones. */
    bootstrap: z.array(z.string()).default([]),
    /** Bind address; when every bootstrap node is on loopback, loopback is the default. */
    host: z.string().optional(),
    /** UDP port; 0 = any. */
    port: z.number().int().min(0).max(65535).default(0)
  }).prefault({}),
  /** Announce on the Lume topic. */
  announce: z.boolean().default(true),
  /** Plugins to load: package names or paths (relative to the relay directory). */
  plugins: z.array(z.string()).default([]),
  /**
   * Plugins (as written in `plugins`) the relay may run without: one of these
   * that fails to load or start is reported on stderr and left out. Any
   * other plugin that fails stops start-up (exit 1).
   */
  optionalPlugins: z.array(z.string()).default([]),
  /** Per-plugin settings: `plugin.<name>.<key>`. */
  plugin: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  rpc: z.object({
    maxRequestBytes: z.number().int().positive().optional(),
    maxResponseBytes: z.number().int().positive().optional(),
    maxInFlight: z.number().int().positive().optional(),
    handlerTimeoutMs: z.number().int().positive().optional(),
    idleTimeoutMs: z.number().int().min(0).optional(),
    maxStreams: z.number().int().positive().optional(),
    maxPendingPulls: z.number().int().positive().optional(),
    streamIdleMs: z.number().int().positive().optional()
  }).prefault({}),
  /** Budgets and rates by kind (`limits.budgets.<kind>.perAddress`, …) and the memory guard; see the README's "Security". */
  limits: z.object({
    budgets: z.record(z.string(), budgetTree).default({}),
    rates: z.record(z.string(), rateTree).default({}),
    /** New calls are answered BUSY while the heap is over this share of V8's limit. */
    maxHeapFraction: z.number().gt(0).max(1).optional(),
    /** Addresses many users share (a WebSocket gateway's): charged per connection, not per address. */
    trustedHosts: z.array(z.string()).optional()
  }).prefault({}),
  /** Keys (hex) of relays trusted as relays without a dial-back. */
  relays: z.array(z.string().regex(/^[0-9a-fA-F]{64}$/, 'a relay key is 64 hex digits')).default([]),
  /** Lume over WebSocket (Noise-authenticated, for browsers and other clients); off unless `port` is set. */
  websocket: z.object({
    port: z.number().int().min(0).max(65535).optional(),
    host: z.string().default('0.0.0.0'),
    /** Serve wss:// with these PEM files. */
    tls: z.object({ certFile: z.string(), keyFile: z.string() }).optional(),
    maxConnections: z.number().int().positive().default(1024),
    maxPerAddress: z.number().int().positive().default(16),
    handshakeTimeoutMs: z.number().int().positive().default(5000),
    maxMessageBytes: z.number().int().positive().default(2 * 1024 * 1024)
  }).prefault({}),
  /** The custodial @hyperswarm/dht-relay gateway (a page hands it its DHT key); off unless `port` is set. */
  dhtRelayGateway: z.object({
    port: z.number().int().min(0).max(65535).optional(),
    host: z.string().default('127.0.0.1'),
    maxConnections: z.number().int().positive().default(256),
    maxPerAddress: z.number().int().positive().default(16),
    idleTimeoutMs: z.number().int().positive().default(60_000)
  }).prefault({}),
  /** Operations over HTTP: /metrics, /healthz, /readyz and the status page; off unless `port` is set (0 = any free port). */
  http: z.object({
    port: z.number().int().min(0).max(65535).optional(),
    host: z.string().default('127.0.0.1'),
    maxConnections: z.number().int().positive().default(32),
    headersTimeoutMs: z.number().int().positive().default(5000)
  }).prefault({}),
  log: z.object({ level: level.default('info') }).prefault({}),
  /** How long shutdown waits for requests in flight, ms. */
  shutdownGraceMs: z.number().int().min(0).default(5000)
})

/** The validated relay configuration. */
export type RelayConfig = z.output<typeof relayConfigSchema>

/**
 * Budget or rate overrides by kind, with the levels flags and environment
 * variables split a dotted kind into joined again:
 * `{ relay: { connections: { global: 5 } } }` → `{ 'relay.connections': { global: 5 } }`.
 */
export function flattenKinds<T extends object> (tree: Readonly<Record<string, object>>, fields: ReadonlyArray<keyof T & string>): Record<string, Partial<T>> {
  const out: Record<string, Partial<T>> = {}
  const walk = (prefix: string, node: object): void => {
    const own: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(node)) {
      if ((fields as readonly string[]).includes(key)) own[key] = value
      else if (typeof value === 'object' && value !== null) walk(`${prefix}.${key}`, value)
    }
    if (Object.keys(own).length > 0) out[prefix] = { ...out[prefix], ...own } as Partial<T>
  }
  for (const [kind, node] of Object.entries(tree)) walk(kind, node)
  return out
}
