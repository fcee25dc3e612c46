import type { Relay } from './relay.js'
import type { DhtState, Neighbour } from './relay-metrics.js'
import type { RecentError } from './recent-errors.js'
import type { Second } from './timeline.js'
import type { ByteCounts } from './traffic.js'
import { RELAY_VERSION } from './version.js'

/** What the status page shows, as `/status.json` serves it. */
export interface RelayStatus {
  publicKey: string
  version: string
  /** Server time, Unix ms. */
  now: number
  uptimeSeconds: number
  /** When the relay started, Unix ms (seconds before it are not idle: nothing ran). */
  startedAt: number
  connections: number
  websocketClients: number
  traffic: ByteCounts
  dht: DhtState
  neighbours: Neighbour[]
  plugins: Array<{ name: string, up: boolean }>
  /** Calls per wall-clock second, the last 300 s, oldest first (idle seconds as zeros). */
  seconds: Second[]
  recentErrors: RecentError[]
}

/** A snapshot of the relay for the status page. */
export function relayStatus (relay: Relay, startedAt: number, now = Date.now()): RelayStatus {
  const probe = relay.metrics.probe
  return {
    publicKey: relay.publicKeyHex,
    version: RELAY_VERSION,
    now,
    uptimeSeconds: Math.round((now - startedAt) / 1000),
    startedAt,
    connections: probe.connections(),
    websocketClients: probe.websocketClients(),
    traffic: probe.traffic(),
    dht: probe.dht(),
    neighbours: probe.neighbours(),
    plugins: probe.plugins(),
    seconds: relay.metrics.timeline.last(),
    recentErrors: relay.metrics.recentErrors.all()
  }
}
