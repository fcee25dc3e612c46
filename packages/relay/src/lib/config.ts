import { z } from 'zod'

const count = z.number().int().min(0).optional()
const rate = z.object({ perSecond: z.number().min(0).optional(), burst: z.number().min(0).optional() }).optional()

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
    budgets: z.record(z.string(), z.object({ perPeer: count, perAddress: count, global: count })).default({}),
    rates: z.record(z.string(), z.object({ perPeer: rate, perAddress: rate })).default({}),
    /** New calls are answered BUSY while the heap is over this share of V8's limit. */
    maxHeapFraction: z.number().gt(0).max(1).optional()
  }).prefault({}),
  /** Keys (hex) of relays trusted as relays without a dial-back. */
  relays: z.array(z.string().regex(/^[0-9a-fA-F]{64}$/, 'a relay key is 64 hex digits')).default([]),
  /** WebSocket endpoint for browsers (runs in a child process); off unless `port` is set. */
  websocket: z.object({
    port: z.number().int().min(0).max(65535).optional(),
    host: z.string().default('0.0.0.0'),
    maxConnections: z.number().int().positive().default(256)
  }).prefault({}),
  log: z.object({ level: level.default('info') }).prefault({}),
  /** How long shutdown waits for requests in flight, ms. */
  shutdownGraceMs: z.number().int().min(0).default(5000)
})

/** The validated relay configuration. */
export type RelayConfig = z.output<typeof relayConfigSchema>
