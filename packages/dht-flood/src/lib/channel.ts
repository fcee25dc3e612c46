import c from 'compact-encoding'
import { LumeError, Protocol, type MuxLike, type PeerConnection, type Plugin, type RateLimits, PLUGIN_API_VERSION } from '@lume/types'
import type { Flood } from './flood.js'

/** The rate kind the flood plugin charges each incoming packet and direct message to (per peer and per address). */
export const FLOOD_RATE = 'flood.message'

/** Options for {@link attachFlood}. */
export interface AttachFloodOptions {
  /** Also spend this rate kind of `connection.budget` per incoming message (defined by the plugin). */
  rate?: string
}

/**
 * Run a {@link Flood} on one peer connection: a Protomux channel
 * `lume/flood/v1` with packets (0), direct messages (1), `ready` (2) and
 * `have` (3, sent only by a flood with `collectMs`).
 * The channel opens at once on both sides (so either may open first), but
 * each side sends `ready` only once `connection.isRelay()` resolved true, and
 * a peer becomes a flood neighbour only when both are ready: nothing is sent
 * before the other side listens. What a peer sends before that is dropped
 * (counted as `notNeighbour`); if it is not a relay the channel is closed.
 * Returns the function that detaches it (also run when the channel closes).
 */
export function attachFlood (flood: Flood, connection: PeerConnection, options: AttachFloodOptions = {}): () => void {
  const key = connection.remotePublicKey
  let remove: (() => void) | null = null
  let opened = false
  let relay = false
  let remoteReady = false
  let sentReady = false
  let detached = false
  const admit = options.rate === undefined
    ? undefined
    : (): boolean => {
        try {
          connection.budget.spend(options.rate as string)
          return true
        } catch (err) {
          if (LumeError.isInstance(err)) return false
          throw err
        }
      }
  const neighbour = (): void => {
    if (!opened || !relay || !remoteReady || detached || remove !== null) return
    remove = flood.addPeer(key, {
      packet: (bytes) => channel?.messages[0]?.send(bytes),
      direct: (bytes) => channel?.messages[1]?.send(bytes),
      have: (bytes) => channel?.messages[3]?.send(bytes),
      ...(admit === undefined ? {} : { admit })
    })
  }
  // Until the peer is a neighbour, Flood finds no peer under its key and drops (and counts) what it sends.
  const hear = (receive: (from: Uint8Array, bytes: Uint8Array) => void) => (bytes: never): void => {
    if (remove === null) { flood.stats.notNeighbour++; return }
    receive(key, bytes as Uint8Array)
  }
  const spec: Parameters<MuxLike['createChannel']>[0] & { ondrain: () => void } = {
    protocol: Protocol.FLOOD,
    unique: true,
    messages: [
      { encoding: c.raw as never, onmessage: hear((from, bytes) => flood.receivePacket(from, bytes)) },
      { encoding: c.raw as never, onmessage: hear((from, bytes) => flood.receiveDirect(from, bytes)) },
      { encoding: c.raw as never, onmessage: () => { remoteReady = true; neighbour() } },
      { encoding: c.raw as never, onmessage: hear((from, bytes) => flood.receiveHave(from, bytes)) }
    ],
    onopen: () => { opened = true; ready() },
    onclose: () => { remove?.(); remove = null },
    // Protomux calls this when the stream drained below its high-water mark.
    ondrain: () => { if (remove !== null) flood.resume(key) }
  }
  // Tell the peer we listen, once it is known to be a relay and the channel is open.
  const ready = (): void => {
    if (!opened || !relay || detached || sentReady) return
    sentReady = true
    channel?.messages[2]?.send(new Uint8Array(0))
    neighbour()
  }
  const channel = connection.mux.createChannel(spec)
  if (channel === null) return () => {}
  channel.open()
  void connection.isRelay().then((isRelay) => {
    relay = isRelay
    if (detached) return
    if (isRelay) ready()
    else if (!channel.closed) channel.close()
  })
  return () => {
    detached = true
    remove?.()
    remove = null
    if (!channel.closed) channel.close()
  }
}

/** Options for {@link floodPlugin}. */
export interface FloodPluginOptions {
  /**
   * Incoming packets and direct messages per neighbour and per remote
   * address (shared by every connection from it); the operator's
   * `limits.rates["flood.message"]` overrides it.
   * @default { perPeer: { perSecond: 500, burst: 1000 }, perAddress: { perSecond: 1000, burst: 2000 } }
   */
  rate?: RateLimits
}

/**
 * The relay plugin: runs `flood` on every relay connection, present and
 * future (client connections never carry the flood). Other plugins get the
 * same `Flood` object to broadcast and listen.
 *
 * @example
 * ```ts
 * const flood = new Flood({ keyPair })
 * await createRelay({ keyPair, bootstrap, plugins: [floodPlugin(flood), registryPlugin({ flood })] })
 * ```
 */
export function floodPlugin (flood: Flood, options: FloodPluginOptions = {}): Plugin {
  return {
    name: 'flood',
    apiVersion: PLUGIN_API_VERSION,
    start (api) {
      api.defineRate(FLOOD_RATE, options.rate ?? { perPeer: { perSecond: 500, burst: 1000 }, perAddress: { perSecond: 1000, burst: 2000 } })
      api.registerProtocol({ name: Protocol.FLOOD, onConnection: (connection) => attachFlood(flood, connection, { rate: FLOOD_RATE }) })
    },
    async stop () {
      await flood.close()
    }
  }
}
