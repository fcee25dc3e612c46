import { z } from 'zod'
import { PLUGIN_API_VERSION, type Plugin } from '@lume/types'
import { discoveryPlugin } from './plugin.js'

const irc = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  channel: z.string().optional(),
  nick: z.string().optional(),
  websocket: z.boolean().optional(),
  origin: z.string().optional(),
  connectTimeoutMs: z.number().int().positive().optional()
})

/**
 * Discovery's config section in a relay config (`plugin.discovery`). Unknown
 * keys are errors.
 */
export const configSchema = z.strictObject({
  /** Where the relay can be reached, as put in its signed record (`dht`: by key over HyperDHT). */
  addresses: z.array(z.string()).default(['dht']),
  /** Put the record on the DHT under the relay's key (signed by the relay). */
  dht: z.boolean().default(true),
  /** IRC rendezvous channels to answer in (TCP, or WebSocket with `websocket: true`). */
  irc: z.array(irc).default([]),
  /** How often the record is re-signed and re-announced, ms (the DHT forgets after ~20 min). */
  refreshMs: z.number().int().min(1000).default(10 * 60_000)
})

/** Discovery's validated config section. */
export type DiscoveryPluginConfig = z.output<typeof configSchema>

/** The config section this module's plugin reads: `plugin.discovery`. */
export const pluginName = 'discovery'

/**
 * Discovery as a relay loads it by name (`plugins: ['@lume/peer-discovery']`):
 * the relay's signed record on the DHT (put by the relay, `api.putRecord`)
 * and in the configured IRC channels, settings from `plugin.discovery`.
 */
export default function relayDiscoveryPlugin (): Plugin {
  let inner: Plugin | null = null
  return {
    name: pluginName,
    apiVersion: PLUGIN_API_VERSION,
    async start (api) {
      const config = configSchema.parse(api.config)
      inner = discoveryPlugin({ addresses: config.addresses, dht: config.dht, irc: config.irc, refreshMs: config.refreshMs })
      await inner.start(api)
    },
    async stop () {
      await inner?.stop?.()
    }
  }
}
