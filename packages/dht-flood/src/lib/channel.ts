import c from 'compact-encoding'
import { Protocol, type PeerConnection, type Plugin, PLUGIN_API_VERSION } from '@lume/types'
import type { Flood } from './flood.js'

/**
 * Run a {@link Flood} on one peer connection: a Protomux channel
 * `lume/flood/v1` with two messages, packets (0) and direct messages (1).
 * Returns the function that detaches it (also run when the channel closes).
 */
export function attachFlood (flood: Flood, connection: PeerConnection): () => void {
  let remove: (() => void) | null = null
  const channel = connection.mux.createChannel({
    protocol: Protocol.FLOOD,
    unique: true,
    messages: [
      { encoding: c.raw as never, onmessage: (bytes: never) => flood.receivePacket(connection.remotePublicKey, bytes as Uint8Array) },
      { encoding: c.raw as never, onmessage: (bytes: never) => flood.receiveDirect(connection.remotePublicKey, bytes as Uint8Array) }
    ],
    onopen: () => {
      remove = flood.addPeer(connection.remotePublicKey, {
        packet: (bytes) => { channel?.messages[0]?.send(bytes) },
        direct: (bytes) => { channel?.messages[1]?.send(bytes) }
      })
    },
    onclose: () => { remove?.(); remove = null }
  })
  if (channel === null) return () => {}
  channel.open()
  return () => {
    remove?.()
    remove = null
    if (!channel.closed) channel.close()
  }
}

/**
 * The relay plugin: runs `flood` on every relay connection, present and
 * future. Other plugins get the same `Flood` object to broadcast and listen.
 *
 * @example
 * ```ts
 * const flood = new Flood({ keyPair })
 * await createRelay({ keyPair, bootstrap, plugins: [floodPlugin(flood), registryPlugin({ flood })] })
 * ```
 */
export function floodPlugin (flood: Flood): Plugin {
  return {
    name: 'flood',
    apiVersion: PLUGIN_API_VERSION,
    start (api) {
      api.registerProtocol({ name: Protocol.FLOOD, onConnection: (connection) => attachFlood(flood, connection) })
    },
    stop () {
      flood.close()
    }
  }
}
