import { ErrorCode, LumeError, PLUGIN_API_VERSION, toHex, type Logger, type Plugin } from '@lume/types'
import type { Flood } from '@lume/dht-flood'
import { DEFAULT_MAX_DATA, parseEntry, serializeEntry, type RegistryEntry } from './entry.js'
import { decodeFloodMessage, encodeFloodMessage } from './flood-messages.js'
import { RegistryMethods } from './methods.js'
import type { RegistryStore } from './store.js'
import { Subscriptions } from './subscriptions.js'
import { PeerLimits } from './peer-limits.js'

/** Options for {@link registryPlugin}. */
export interface RegistryPluginOptions {
  /** Where entries are kept (MemoryStore, LmdbStore, RedisStore). Closed when the relay stops. */
  store: RegistryStore
  /** Spread stored entries to other relays and pull missing ones from them. @default no propagation */
  flood?: Flood
  /** Largest entry data accepted. @default 64 */
  maxData?: number
  /** `registry.set` calls per peer per second, and the burst. @default { perSecond: 20, burst: 50 } */
  setRate?: { perSecond: number, burst: number }
  /** Open subscriptions per peer. @default 32 */
  maxSubscriptionsPerPeer?: number
  /** How long a `get` for an unknown key waits for neighbours to answer. @default 500 */
  pullTimeoutMs?: number
  /** Hops an announced entry travels. @default 8 */
  floodTtl?: number
}

/**
 * The registry relay plugin: serves `registry.get`, `registry.set`,
 * `registry.subscribe` and `registry.pin`; announces every entry it stores
 * over the flood and stores the newer entries others announce; asks its
 * neighbours for keys it does not have.
 */
export function registryPlugin (options: RegistryPluginOptions): Plugin {
  const maxData = options.maxData ?? DEFAULT_MAX_DATA
  const subscriptions = new Subscriptions()
  const limits = new PeerLimits(options.setRate ?? { perSecond: 20, burst: 50 }, options.maxSubscriptionsPerPeer ?? 32)
  const pulls = new Map<string, Array<(entry: RegistryEntry) => void>>()
  const stops: Array<() => void> = []
  let logger: Logger

  const store = options.store
  const flood = options.flood

  const accept = async (bytes: Uint8Array): Promise<RegistryEntry | null> => {
    const entry = parseEntry(bytes, maxData)
    const result = await store.put(entry)
    return result.status === 'stored' ? entry : null
  }

  const pull = async (pk: Uint8Array): Promise<RegistryEntry | null> => {
    if (flood === undefined || flood.neighbours.length === 0) return null
    const key = toHex(pk)
    const found = new Promise<RegistryEntry | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), options.pullTimeoutMs ?? 500)
      const list = pulls.get(key) ?? []
      list.push((entry) => { clearTimeout(timer); resolve(entry) })
      pulls.set(key, list)
    })
    for (const neighbour of flood.neighbours) flood.send(neighbour, encodeFloodMessage({ type: 'want', pk }))
    const entry = await found
    pulls.delete(key)
    return entry
  }

  const onFloodMessage = (payload: Uint8Array, from: Uint8Array, direct: boolean): void => {
    const message = decodeFloodMessage(payload)
    if (message === null) return
    if (message.type === 'want') {
      if (!direct || flood === undefined) return
      void store.get(message.pk).then((entry) => {
        if (entry !== null) flood.send(from, encodeFloodMessage({ type: 'have', entry: serializeEntry(entry) }))
      }, () => {})
      return
    }
    // An announced or offered entry: verified and stored only if it is newer; subscribers hear of it through the store.
    accept(message.entry).then((entry) => {
      const stored = entry ?? parseEntryQuiet(message.entry, maxData)
      if (stored !== null) for (const resolve of pulls.get(toHex(stored.pk)) ?? []) resolve(stored)
    }, (err: unknown) => {
      logger?.debug({ code: (err as { code?: string }).code, from: toHex(from).slice(0, 12) }, 'dropped a registry entry from the flood')
    })
  }

  return {
    name: 'registry',
    apiVersion: PLUGIN_API_VERSION,
    start (api) {
      logger = api.logger
      stops.push(store.watch((entry) => subscriptions.publish(entry)))
      if (flood !== undefined) {
        stops.push(flood.on('message', ({ payload, from }) => onFloodMessage(payload, from, false)))
        stops.push(flood.on('direct', ({ payload, from }) => onFloodMessage(payload, from, true)))
      }
      api.registerMethod({
        ...RegistryMethods.get,
        name: 'get',
        handler: async (pk) => {
          const entry = await store.get(pk) ?? await pull(pk)
          return entry === null ? null : serializeEntry(entry)
        }
      })
      api.registerMethod({
        ...RegistryMethods.set,
        name: 'set',
        maxRequestBytes: 2 + 107 + maxData,
        handler: async (bytes, call) => {
          if (!limits.takeSet(call.remotePublicKey)) throw new LumeError(ErrorCode.RATE_LIMITED, 'too many registry writes; slow down')
          const entry = parseEntry(bytes, maxData)
          const result = await store.put(entry)
          if (result.status === 'stored' && flood !== undefined) {
            flood.broadcast(encodeFloodMessage({ type: 'entry', entry: serializeEntry(entry) }), { ttl: options.floodTtl ?? 8 })
          }
          return { status: result.status, entry: serializeEntry(result.current) }
        }
      })
      api.registerMethod({
        ...RegistryMethods.subscribe,
        name: 'subscribe',
        stream: true,
        handler: (request, call) => {
          const release = limits.openSubscription(call.remotePublicKey)
          return (async function * () {
            try {
              const current = await store.get(request.pk)
              for await (const entry of subscriptions.follow(request.pk, request.since, current, call.signal)) yield serializeEntry(entry)
            } finally {
              release()
            }
          })()
        }
      })
      api.registerMethod({
        ...RegistryMethods.pin,
        name: 'pin',
        handler: async (pk) => { await store.pin(pk); return null }
      })
    },
    async stop () {
      for (const stop of stops) stop()
      await store.close()
    }
  }
}

function parseEntryQuiet (bytes: Uint8Array, maxData: number): RegistryEntry | null {
  try {
    return parseEntry(bytes, maxData)
  } catch {
    return null
  }
}
