import { importPeer } from '@lume/types'

// Optional peers: only IRC over WebSocket needs them.
const { default: WebsocketTransport } = await importPeer('irc-framework', '@lume/peer-discovery/node', async () => await import('irc-framework/src/transports/websocket.js'))
const { WebSocket } = await importPeer('ws', '@lume/peer-discovery/node', async () => await import('ws'))

/**
 * irc-framework's WebSocket transport for Node: the same behaviour, over the
 * `ws` package (Node 20 has no global WebSocket), sending an `Origin` header —
 * servers such as inspircd refuse a WebSocket handshake without one.
 */
export function ircWebSocketTransport (origin: string): typeof WebsocketTransport {
  return class NodeWebsocketTransport extends WebsocketTransport {
    override connect (): void {
      this.disposeSocket()
      this.requested_disconnect = false
      const { host, port, path, tls, ssl } = this.options
      const url = `${tls === true || ssl === true ? 'wss' : 'ws'}://${host}${port === undefined ? '' : `:${port}`}${path ?? ''}`
      const socket = new WebSocket(url, this.protocol === undefined ? [] : [this.protocol], { origin })
      this.socket = socket
      socket.onopen = () => this.onSocketFullyConnected()
      socket.onclose = (event) => this.onSocketClose(event)
      socket.onmessage = (event) => this.onSocketMessage(typeof event.data === 'string' ? event.data : String(event.data))
      socket.onerror = (event) => {
        this.debugOut(`socketError() ${event.message}`)
        this.last_socket_error = event.error
      }
    }
  }
}
