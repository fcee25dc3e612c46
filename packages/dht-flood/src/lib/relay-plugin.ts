import { z } from 'zod'
import { emptyCodec, jsonCodec, PLUGIN_API_VERSION, type Plugin } from '@lume/types'
import { floodPlugin } from './channel.js'
import { Flood } from './flood.js'
import type { FloodStats } from './options.js'

const rate = z.strictObject({ perSecond: z.number().positive(), burst: z.number().positive() })

/**
 * The flood's config section in a relay config (`plugin.flood`), every key
 * optional with the `Flood` defaults. Unknown keys are errors.
 */
export const configSchema = z.strictObject({
  /** Hops a broadcast travels by default. */
  ttl: z.number().int().min(1).max(255).default(10),
  /** Highest TTL accepted. */
  maxTtl: z.number().int().min(1).max(255).default(12),
  /** Most peers a packet is forwarded to. */
  maxFanout: z.number().int().positive().default(16),
  /** Largest payload, bytes. */
  maxPayloadBytes: z.number().int().positive().default(64 * 1024),
  /** Packets remembered for duplicate detection. */
  seenCapacity: z.number().int().positive().default(100_000),
  /** Hold forwards back this long (ms) to send fewer duplicates; 0 forwards at once. */
  collectMs: z.number().int().min(0).default(0),
  /** Packets per neighbour per second, and the burst. */
  rate: rate.default({ perSecond: 500, burst: 1000 })
})

/** The flood's validated config section. */
export type FloodPluginConfig = z.output<typeof configSchema>

/** The config section this module's plugin reads: `plugin.flood`. */
export const pluginName = 'flood'

/** What `flood.stats` answers: the counters, and how many neighbours the flood has. */
export type FloodStatsAnswer = FloodStats & { neighbours: number }

/**
 * The flood as a relay loads it by name (`plugins: ['@lume/dht-flood']`):
 * a `Flood` signing with the relay's key through `api.sign` (it never holds
 * the secret key), run on every relay connection, provided to other plugins
 * as `api.use<Flood>('flood')`, and its counters served as `flood.stats`.
 */
export default function relayFloodPlugin (): Plugin {
  let inner: Plugin | null = null
  return {
    name: pluginName,
    apiVersion: PLUGIN_API_VERSION,
    async start (api) {
      const config = configSchema.parse(api.config)
      const flood = new Flood({
        keyPair: { publicKey: api.relayPublicKey, sign: (context, message) => api.sign(context, message) },
        ttl: config.ttl,
        maxTtl: config.maxTtl,
        maxFanout: config.maxFanout,
        maxPayloadBytes: config.maxPayloadBytes,
        seenCapacity: config.seenCapacity,
        collectMs: config.collectMs,
        rate: config.rate,
        logger: api.logger
      })
      const stats = flood.stats
      const counter = (name: string, help: string, read: () => number): void => { api.metrics.counter(name, help, { read }) }
      counter('delivered_total', 'Flood packets delivered to this relay', () => stats.delivered)
      counter('forwarded_total', 'Flood packets forwarded to neighbours', () => stats.forwarded)
      counter('sent_total', 'Flood packets sent (originated or forwarded), per neighbour', () => stats.sent)
      counter('dropped_total', 'Flood packets dropped: duplicate, bad signature, malformed, stale, rate-limited, too large, not from a neighbour, backed up', () =>
        stats.duplicate + stats.badSignature + stats.malformed + stats.stale + stats.rateLimited + stats.tooLarge + stats.notNeighbour + stats.backedUp)
      api.metrics.gauge('neighbours', 'Relays the flood runs with', { read: () => flood.neighbours.length })
      inner = floodPlugin(flood)
      await inner.start(api)
      api.provide(flood)
      api.registerMethod({
        name: 'stats',
        request: emptyCodec,
        response: jsonCodec,
        handler: () => ({ ...flood.stats, neighbours: flood.neighbours.length })
      })
    },
    async stop () {
      await inner?.stop?.()
    }
  }
}
