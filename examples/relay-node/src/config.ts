import { z } from 'zod'

/** The relay node's configuration (see relay.config.yaml for every key, documented). */
export const nodeConfigSchema = z.object({
  dir: z.string().default('./relay-data'),
  dht: z.object({
    bootstrap: z.array(z.string()).default([]),
    host: z.string().optional(),
    port: z.number().int().min(0).max(65535).default(0)
  }).prefault({}),
  registry: z.object({
    store: z.enum(['lmdb', 'redis']).default('lmdb'),
    redisUrl: z.string().default('redis://127.0.0.1:6379'),
    maxKeys: z.number().int().positive().default(1_000_000),
    maxData: z.number().int().min(1).max(255).default(64),
    maxPins: z.number().int().min(0).default(10_000),
    /** Public keys (64 hex digits) allowed to call `registry.pin`, besides the relay's own. */
    operators: z.array(z.string().regex(/^[0-9a-f]{64}$/i, 'a public key: 64 hex digits')).default([])
  }).prefault({}),
  cache: z.object({
    maxEntries: z.number().int().positive().default(10_000),
    maxBytes: z.number().int().positive().default(32 * 1024 * 1024)
  }).prefault({}),
  discovery: z.object({
    addresses: z.array(z.string()).default(['dht']),
    dht: z.boolean().default(true),
    irc: z.array(z.object({ host: z.string(), port: z.number().int(), channel: z.string().optional(), websocket: z.boolean().optional() })).default([])
  }).prefault({}),
  websocket: z.object({
    port: z.number().int().min(0).max(65535).optional(),
    host: z.string().default('0.0.0.0')
  }).prefault({}),
  http: z.object({
    port: z.number().int().min(0).max(65535).default(9090),
    host: z.string().default('127.0.0.1')
  }).prefault({}),
  log: z.object({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info') }).prefault({})
})

export type NodeConfig = z.output<typeof nodeConfigSchema>
