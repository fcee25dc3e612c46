import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { ErrorCode, type PluginMetrics } from '@lume/types'
import { LATENCY_BUCKETS, pluginMetrics } from './plugin-metrics.js'
import { RecentErrors } from './recent-errors.js'
import { Timeline } from './timeline.js'
import type { ByteCounts } from './traffic.js'

/** The method label of calls to methods the relay does not serve (their names are the caller's choice). */
export const UNKNOWN_METHOD_LABEL = '(unknown)'

const OUTCOMES = new Set<string>(['ok', ...Object.values(ErrorCode)])

/** Another relay this relay is connected to. */
export interface Neighbour {
  /** Its public key, hex. */
  publicKey: string
  /** Its address as seen here ('' when unknown). */
  host: string
  /** True when this relay dialed it. */
  outbound: boolean
}

/** The state of the relay's DHT node. */
export interface DhtState {
  /** Joined the DHT (its bootstrap finished). */
  bootstrapped: boolean
  /** Reachable by other nodes without holepunching (not firewalled). */
  reachable: boolean
  /** Serving its key on the DHT. */
  listening: boolean
}

/** What the metrics read from the relay when scraped. */
export interface RelayProbe {
  connections (): number
  websocketClients (): number
  traffic (): ByteCounts
  neighbours (): Neighbour[]
  dht (): DhtState
  /** Every configured plugin and whether it runs. */
  plugins (): Array<{ name: string, up: boolean }>
  /** True for a method the relay serves. */
  serves (method: string): boolean
}

/**
 * The relay's metrics in one Prometheus registry: its own (requests by
 * method and outcome, latency, connections, WebSocket clients, bytes, neighbour
 * relays, DHT state, plugin health, build info), the plugins' (see
 * {@link PluginMetrics}) and, once {@link RelayMetrics.withProcessMetrics} is
 * called, the process's (memory, CPU, event-loop lag, open files). Also keeps
 * the per-second timeline and recent errors the status page shows.
 */
export class RelayMetrics {
  /** The registry `/metrics` serves. */
  readonly registry = new Registry()
  /** Calls per wall-clock second, last 5 minutes. */
  readonly timeline: Timeline
  /** The last failed calls. */
  readonly recentErrors = new RecentErrors()
  private readonly requests: Counter<'method' | 'outcome'>
  private readonly duration: Histogram<'method'>
  private processMetrics = false

  constructor (readonly probe: RelayProbe, info: { version: string, publicKey: string }, private readonly now: () => number = Date.now) {
    this.timeline = new Timeline(300, now)
    const registers = [this.registry]
    this.requests = new Counter({ name: 'lume_rpc_requests_total', help: 'RPC calls served, by method and outcome (ok or the error code)', labelNames: ['method', 'outcome'], registers })
    this.duration = new Histogram({ name: 'lume_rpc_request_duration_seconds', help: 'Time to answer an RPC call', labelNames: ['method'], buckets: [...LATENCY_BUCKETS], registers })
    const gauge = (name: string, help: string, read: () => number): void => {
      void new Gauge({ name, help, registers, collect () { this.set(read()) } })
    }
    gauge('lume_connections', 'Open peer connections (HyperDHT and WebSocket)', () => probe.connections())
    gauge('lume_websocket_clients', 'Clients connected over WebSocket', () => probe.websocketClients())
    gauge('lume_neighbour_relays', 'Connected peers known to be relays', () => probe.neighbours().length)
    gauge('lume_dht_bootstrapped', '1 once the DHT node has joined the DHT', () => Number(probe.dht().bootstrapped))
    gauge('lume_dht_reachable', '1 when other nodes reach this DHT node directly (not firewalled)', () => Number(probe.dht().reachable))
    const totalBytes = (name: string, help: string, read: (t: ByteCounts) => number): void => {
      let last = 0
      const counter: Counter = new Counter({
        name,
        help,
        registers,
        collect () {
          const total = read(probe.traffic())
          if (total > last) counter.inc(total - last)
          last = Math.max(last, total)
        }
      })
    }
    totalBytes('lume_network_received_bytes_total', 'Bytes received from peers on the wire', (t) => t.received)
    totalBytes('lume_network_sent_bytes_total', 'Bytes sent to peers on the wire', (t) => t.sent)
    void new Gauge({
      name: 'lume_plugin_up',
      help: '1 for a configured plugin that runs, 0 for one that failed or stopped',
      labelNames: ['plugin'],
      registers,
      collect () {
        this.reset()
        for (const p of probe.plugins()) this.set({ plugin: p.name }, Number(p.up))
      }
    })
    new Gauge({ name: 'lume_relay_info', help: 'Build information: always 1', labelNames: ['version', 'node', 'public_key'], registers })
      .set({ version: info.version, node: process.version, public_key: info.publicKey }, 1)
  }

  /** Add the process metrics (memory, CPU, event-loop lag, open files) to the registry; once is enough. */
  withProcessMetrics (): this {
    if (!this.processMetrics) {
      this.processMetrics = true
      collectDefaultMetrics({ register: this.registry })
    }
    return this
  }

  /** The metrics host service for one plugin (`lume_<plugin>_<name>`). */
  forPlugin (name: string): PluginMetrics {
    return pluginMetrics(this.registry, name)
  }

  /** Count one call served: its method, how it ended ('ok' or an error code), and how long it took. */
  readonly observe = (method: string, outcome: string, ms: number): void => {
    // Labels must be a bounded set: a name the relay does not serve, or a code it does not know, is the caller's choice.
    const served = this.probe.serves(method)
    const label = served ? method : UNKNOWN_METHOD_LABEL
    const code = OUTCOMES.has(outcome) ? outcome : 'OTHER'
    this.requests.inc({ method: label, outcome: code })
    this.duration.observe({ method: label }, ms / 1000)
    this.timeline.record(code === 'ok', ms)
    if (code !== 'ok') this.recentErrors.add({ at: this.now(), method: served ? method : `${UNKNOWN_METHOD_LABEL} ${method.slice(0, 64)}`, code })
  }
}
