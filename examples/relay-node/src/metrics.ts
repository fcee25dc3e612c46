import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { DhtCache } from '@lume/dht-cache'
import type { Flood } from '@lume/dht-flood'
import type { RegistryStore } from '@lume/registry'
import type { Relay } from '@lume/relay'

/** A per-second record of calls, for the status page's chart. */
export interface Sample { t: number, requests: number, errors: number }

/**
 * The relay's Prometheus metrics: connections, requests by method and
 * outcome, latency histograms, registry size, cache hits, flood traffic;
 * plus the last 5 minutes of request rates for the status page.
 */
export class RelayMetrics {
  readonly registry = new Registry()
  readonly samples: Sample[] = []
  private readonly requests: Counter<'method' | 'outcome'>
  private readonly latency: Histogram<'method'>
  private current: Sample = { t: Math.floor(Date.now() / 1000), requests: 0, errors: 0 }

  constructor (parts: { relay: () => Relay | null, store: RegistryStore, cache: DhtCache, flood: Flood }) {
    this.requests = new Counter({ name: 'lume_rpc_requests_total', help: 'RPC calls served, by method and outcome (ok or an error code)', labelNames: ['method', 'outcome'], registers: [this.registry] })
    this.latency = new Histogram({ name: 'lume_rpc_duration_seconds', help: 'Time to serve an RPC call', labelNames: ['method'], buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers: [this.registry] })
    // Gauges read their value when Prometheus scrapes (collect may be async).
    const gauge = (name: string, help: string, read: () => number | Promise<number>): Gauge => new Gauge({
      name, help, registers: [this.registry], async collect () { this.set(await read()) }
    })
    gauge('lume_connections', 'Open peer connections', () => parts.relay()?.connectionCount ?? 0)
    gauge('lume_registry_keys', 'Registry keys stored', async () => await parts.store.count())
    gauge('lume_cache_entries', 'Cached answers held', () => parts.cache.cache.size)
    gauge('lume_cache_hits_total', 'Signed calls answered from the cache', () => parts.cache.stats.hits)
    gauge('lume_cache_misses_total', 'Signed calls to cacheable methods not in the cache', () => parts.cache.stats.misses)
    gauge('lume_flood_delivered_total', 'Flood packets delivered to this relay', () => parts.flood.stats.delivered)
    gauge('lume_flood_sent_total', 'Flood packets sent (originated or forwarded)', () => parts.flood.stats.sent)
    gauge('lume_flood_dropped_total', 'Flood packets dropped (duplicate, bad signature, stale, rate-limited, …)', () => {
      const s = parts.flood.stats
      return s.duplicate + s.badSignature + s.malformed + s.stale + s.rateLimited + s.tooLarge
    })
  }

  /** The relay's request observer: counts, times, and samples each call. */
  readonly observe = (method: string, outcome: string, ms: number): void => {
    this.requests.inc({ method, outcome })
    this.latency.observe({ method }, ms / 1000)
    const now = Math.floor(Date.now() / 1000)
    if (now !== this.current.t) {
      this.samples.push(this.current)
      if (this.samples.length > 300) this.samples.shift()
      this.current = { t: now, requests: 0, errors: 0 }
    }
    this.current.requests++
    if (outcome !== 'ok') this.current.errors++
  }

  /** Samples including the second in progress. */
  recent (): Sample[] {
    return [...this.samples, this.current]
  }
}
