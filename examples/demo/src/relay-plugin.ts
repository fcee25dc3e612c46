/**
 * @packageDocumentation
 * The demo's own relay plugin, loaded by `lume-relay` by package name like
 * the first-party ones (`plugins: [..., '@lume/example-demo']`, settings
 * under `plugin.demo`). It serves `demo.fortune`, whose signed answers are
 * cacheable, and a few operator-only methods the demo drives its relays
 * with (connect to a neighbour, lie, gossip, fetch a cached answer, stats):
 * every other caller gets `FORBIDDEN`.
 */
import { z } from 'zod'
import type { DhtCache } from '@lume/dht-cache'
import type { Flood } from '@lume/dht-flood'
import type { RegistryStore } from '@lume/registry'
import { ErrorCode, fromHex, jsonCodec, LumeError, PLUGIN_API_VERSION, stringCodec, toHex, type CallContext, type JsonValue, type Plugin, type PluginAPI } from '@lume/types'

/** The demo's config section (`plugin.demo`). */
export const configSchema = z.strictObject({
  /** The key (64 hex digits) allowed to call the control methods; none when unset. */
  operator: z.string().regex(/^[0-9a-fA-F]{64}$/, 'an operator key is 64 hex digits').optional()
})

/** The config section this module's plugin reads: `plugin.demo`. */
export const pluginName = 'demo'

/** What `demo.stats` answers. */
export interface DemoStats {
  registryKeys: number
  cached: number
  fortunesComputed: number
  floodDelivered: number
  floodSent: number
  gossipHeard: number
}

const GOSSIP_PREFIX = 'demo/gossip:'
const hexKey = z.string().regex(/^[0-9a-fA-F]{64}$/)
const args = {
  connect: z.strictObject({ publicKey: hexKey }),
  lie: z.strictObject({ on: z.boolean() }),
  gossip: z.strictObject({ text: z.string().max(200) }),
  fetchCached: z.strictObject({ hash: hexKey }),
  stats: z.null()
}

/** The demo plugin: `demo.fortune` for everyone, the control methods for the operator. */
export default function demoPlugin (): Plugin {
  let lying = false
  let fortunesComputed = 0
  let gossipHeard = 0
  return {
    name: pluginName,
    apiVersion: PLUGIN_API_VERSION,
    dependsOn: ['flood', 'cache', 'registry'],
    start (api) {
      const config = configSchema.parse(api.config)
      const flood = need<Flood>(api, 'flood')
      const cache = need<DhtCache>(api, 'cache')
      const store = need<RegistryStore>(api, 'registry')
      flood.on('message', ({ payload }) => { if (new TextDecoder().decode(payload).startsWith(GOSSIP_PREFIX)) gossipHeard++ })
      api.registerMethod({
        name: 'fortune',
        request: stringCodec,
        response: stringCodec,
        cacheTtlMs: 60_000,
        maxRequestBytes: 256,
        handler: (question: string) => {
          fortunesComputed++
          return `"${question}": the answer is ${lying ? 666 : question.length * 7 % 43}`
        }
      })
      // A control method: JSON in and out, its arguments checked, the operator's key only.
      const control = <S extends z.ZodType>(name: string, schema: S, handler: (value: z.output<S>) => Promise<JsonValue> | JsonValue): void => {
        api.registerMethod({
          name,
          request: jsonCodec,
          response: jsonCodec,
          maxRequestBytes: 512,
          handler: async (request: JsonValue, call: CallContext) => {
            if (config.operator === undefined || toHex(call.remotePublicKey) !== config.operator.toLowerCase()) {
              throw new LumeError(ErrorCode.FORBIDDEN, `demo.${name} is for the demo's operator`)
            }
            const parsed = schema.safeParse(request)
            if (!parsed.success) throw new LumeError(ErrorCode.INVALID_ARGUMENT, `demo.${name}: ${parsed.error.issues[0]?.message ?? 'bad arguments'}`)
            return await handler(parsed.data)
          }
        })
      }
      control('connect', args.connect, async ({ publicKey }) => {
        const started = performance.now()
        await api.connect(fromHex(publicKey, 32))
        return { ms: performance.now() - started }
      })
      control('lie', args.lie, ({ on }) => { lying = on; return {} })
      control('gossip', args.gossip, ({ text }) => ({ seq: flood.broadcast(new TextEncoder().encode(GOSSIP_PREFIX + text), { ttl: 8 }) }))
      control('fetchCached', args.fetchCached, async ({ hash }) => {
        const answer = await cache.fetch(fromHex(hash, 32))
        return { found: answer !== null, signer: answer === null ? null : toHex(answer.relayPublicKey) }
      })
      control('stats', args.stats, async (): Promise<JsonValue> => ({
        registryKeys: await store.count(),
        cached: cache.cache.size,
        fortunesComputed,
        floodDelivered: flood.stats.delivered,
        floodSent: flood.stats.sent,
        gossipHeard
      } satisfies DemoStats))
    }
  }
}

function need<T> (api: PluginAPI, name: string): T {
  const service = api.use<T>(name)
  if (service === undefined) throw new LumeError(ErrorCode.PLUGIN_FAILED, `the demo plugin needs the ${name} plugin`)
  return service
}
