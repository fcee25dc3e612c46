import {
  ErrorCode, LumeError, PLUGIN_API_VERSION, TokenBucket, toHex,
  type BudgetLimits, type Logger, type Plugin, type RateLimit, type RateLimits
} from '@lume/types'
import { RegistryLimitDefaults, RegistryLimitKinds } from './limits.js'
import type { Flood } from '@lume/dht-flood'
import { DEFAULT_MAX_DATA, ENTRY_OVERHEAD, parseEntry, serializeEntry, type RegistryEntry } from './entry.js'
import { decodeFloodMessage, encodeFloodMessage } from './flood-messages.js'
import { MemoryStore } from './memory-store.js'
import { RegistryMethods } from './methods.js'
import type { RegistryStore } from './store.js'
import { Subscriptions } from './subscriptions.js'
import { Wants } from './wants.js'

/** Options for {@link registryPlugin}. */
export interface RegistryPluginOptions {
  /**
   * Where entries are kept (MemoryStore, LmdbStore, RedisStore). The
   * application owns it: the plugin never closes a store it was given.
   * @default a MemoryStore the plugin creates (and closes when the relay stops)
   */
  store?: RegistryStore
  /** Spread stored entries to other relays and pull missing ones from them. @default no propagation */
  flood?: Flood
  /** Largest entry data accepted. @default 64 */
  maxData?: number
  /**
   * Public keys (32 bytes) allowed to call `registry.pin`; everyone else gets
   * `FORBIDDEN`. The relay's own key is always allowed. @default none
   */
  operators?: Uint8Array[]
  /** Default limits for `registry.set` (`limits.rates."registry.writes"` in the relay config overrides). */
  writeRate?: RateLimits
  /** Default limits on open subscriptions (`limits.budgets."registry.subscriptions"` overrides). */
  subscriptionBudget?: BudgetLimits
  /** Default limits on `get`s that ask neighbours (`limits.rates."registry.pulls"` overrides). */
  pullRate?: RateLimits
  /** Entries per second (and burst) taken from neighbours' direct answers, relay-wide. @default { perSecond: 200, burst: 400 } */
  offerRate?: RateLimit
  /** Keys this relay waits on from its neighbours at once; past it a `get` answers from the store alone. @default 1024 */
  maxWants?: number
  /** How long a `get` for an unknown key waits for neighbours to answer. @default 500 */
  pullTimeoutMs?: number
  /** Hops an announced entry travels. @default the flood's own `ttl` (10 unless configured: 100,000 relays are 9 hops across) */
  floodTtl?: number
}

/**
 * The registry relay plugin: serves `registry.get`, `registry.set`,
 * `registry.subscribe` and `registry.pin`; announces every entry it stores
 * over the flood and stores the newer entries others announce; asks its
 * neighbours for keys it does not have. Everything a caller makes it hold or
 * do is charged to the caller's budget (see the README's Security section).
 */
export function registryPlugin (options: RegistryPluginOptions = {}): Plugin {
  const maxData = options.maxData ?? DEFAULT_MAX_DATA
  const subscriptions = new Subscriptions()
  const wants = new Wants(options.maxWants ?? 1024, options.pullTimeoutMs ?? 500)
  const offerRate = options.offerRate ?? RegistryLimitDefaults.offers
  const offers = new TokenBucket(offerRate.perSecond, offerRate.burst)
  const operators = new Set((options.operators ?? []).map((k) => toHex(k)))
  const stops: Array<() => void> = []
  let logger: Logger | undefined

  const ownsStore = options.store === undefined
  const store = options.store ?? new MemoryStore()
  const flood = options.flood

  const pull = async (pk: Uint8Array): Promise<RegistryEntry | null> => {
    if (flood === undefined) return null
    const neighbours = flood.neighbours
    if (neighbours.length === 0) return null
    const waiting = wants.wait(pk, neighbours, () => {
      for (const neighbour of neighbours) flood.send(neighbour, encodeFloodMessage({ type: 'want', pk }))
    })
    return waiting === null ? null : await waiting
  }

  const onFloodMessage = (payload: Uint8Array, from: Uint8Array, direct: boolean): void => {
    const message = decodeFloodMessage(payload)
    if (message === null) return
    if (message.type === 'want') {
      if (!direct || flood === undefined) return
      void store.get(message.pk).then((entry) => {
        // "None" too, so the asker answers its caller now rather than at its timeout.
        flood.send(from, encodeFloodMessage(entry === null ? { type: 'none', pk: message.pk } : { type: 'have', entry: serializeEntry(entry) }))
      }, () => {})
      return
    }
    if (message.type === 'none') {
      if (direct) wants.none(message.pk, from)
      return
    }
    // Announcements travel by broadcast, answers to our wants directly; nothing else is taken.
    if ((message.type === 'entry') === direct) return
    // An answer only to a want we sent this neighbour (checked before the signature, which costs),
    // and within the relay-wide rate.
    if (message.type === 'have' && (message.entry.byteLength < ENTRY_OVERHEAD || !wants.take(message.entry.subarray(1, 34), from) || !offers.take())) return
    let entry: RegistryEntry
    try {
      entry = parseEntry(message.entry, maxData)
    } catch (err) {
      logger?.debug({ code: (err as { code?: string }).code, from: toHex(from).slice(0, 12) }, 'dropped a registry entry from the flood')
      return
    }
    // Stored only if it is newer; subscribers hear of it through the store.
    store.put(entry).then((result) => {
      if (message.type === 'have') wants.settle(toHex(entry.pk), result.current)
    }, (err: unknown) => {
      // Not stored (a full store, say), but verified: the caller waiting for it still gets it.
      if (message.type === 'have') wants.settle(toHex(entry.pk), entry)
      logger?.debug({ code: (err as { code?: string }).code, from: toHex(from).slice(0, 12) }, 'dropped a registry entry from the flood')
    })
  }

  return {
    name: 'registry',
    apiVersion: PLUGIN_API_VERSION,
    start (api) {
      logger = api.logger
      api.defineBudget(RegistryLimitKinds.subscriptions, options.subscriptionBudget ?? RegistryLimitDefaults.subscriptions)
      api.defineRate(RegistryLimitKinds.writes, options.writeRate ?? RegistryLimitDefaults.writes)
      api.defineRate(RegistryLimitKinds.pulls, options.pullRate ?? RegistryLimitDefaults.pulls)
      operators.add(toHex(api.relayPublicKey))
      stops.push(store.watch((entry) => subscriptions.publish(entry)))
      if (flood !== undefined) {
        stops.push(flood.on('message', ({ payload, from }) => onFloodMessage(payload, from, false)))
        stops.push(flood.on('direct', ({ payload, from }) => onFloodMessage(payload, from, true)))
      }
      api.registerMethod({
        ...RegistryMethods.get,
        name: 'get',
        handler: async (pk, call) => {
          let entry = await store.get(pk)
          if (entry === null && flood !== undefined && flood.neighbours.length > 0) {
            call.budget.spend(RegistryLimitKinds.pulls)
            entry = await pull(pk)
          }
          return entry === null ? null : serializeEntry(entry)
        }
      })
      api.registerMethod({
        ...RegistryMethods.set,
        name: 'set',
        maxRequestBytes: 2 + 107 + maxData,
        handler: async (bytes, call) => {
          call.budget.spend(RegistryLimitKinds.writes)
          const entry = parseEntry(bytes, maxData)
          const result = await store.put(entry)
          if (result.status === 'stored' && flood !== undefined) {
            flood.broadcast(encodeFloodMessage({ type: 'entry', entry: serializeEntry(entry) }), options.floodTtl === undefined ? {} : { ttl: options.floodTtl })
          }
          return { status: result.status, entry: serializeEntry(result.current) }
        }
      })
      api.registerMethod({
        ...RegistryMethods.subscribe,
        name: 'subscribe',
        stream: true,
        handler: (request, call) => {
          // Held from the call on, released whichever way the stream ends: cancelled
          // before its first pull (the generator never runs), aborted while it waits,
          // or finished; the relay also releases it when the connection closes.
          const release = call.budget.hold(RegistryLimitKinds.subscriptions)
          const signal = call.signal
          if (signal.aborted) release()
          else signal.addEventListener('abort', release, { once: true })
          return (async function * () {
            try {
              const current = async (): Promise<RegistryEntry | null> => await store.get(request.pk)
              for await (const entry of subscriptions.follow(request.pk, request.since, current, signal)) yield serializeEntry(entry)
            } finally {
              signal.removeEventListener('abort', release)
              release()
            }
          })()
        }
      })
      api.registerMethod({
        ...RegistryMethods.pin,
        name: 'pin',
        handler: async (pk, call) => {
          if (!operators.has(toHex(call.remotePublicKey))) throw new LumeError(ErrorCode.FORBIDDEN, 'registry.pin is for the relay operator')
          await store.pin(pk)
          return null
        }
      })
    },
    async stop () {
      for (const stop of stops) stop()
      wants.clear()
      if (ownsStore) await store.close()
    }
  }
}
