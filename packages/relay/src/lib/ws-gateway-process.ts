// The WebSocket gateway, in a process of its own: browsers reach the DHT
// through it (@hyperswarm/dht-relay). dht-relay 0.4.3 can throw an uncaught
// exception from its server proxy when a relayed connection errors; here that
// ends only this process, which the relay restarts, never the relay itself.
import { parseArgs } from 'node:util'
import { HyperDHT } from '@lume/dht'
import { WebSocketServer } from 'ws'
import { relay as relayDHT } from '@hyperswarm/dht-relay'
import Stream from '@hyperswarm/dht-relay/ws'
import type { GatewayMessage } from './ws-gateway-messages.js'

const { values } = parseArgs({
  options: {
    bootstrap: { type: 'string', default: '' },
    'dht-host': { type: 'string', default: '0.0.0.0' },
    host: { type: 'string', default: '0.0.0.0' },
    port: { type: 'string', default: '0' },
    'max-connections': { type: 'string', default: '256' }
  }
})

const send = (message: GatewayMessage): void => { process.send?.(message) }
process.on('uncaughtException', (err) => {
  send({ type: 'crash', message: err.stack ?? String(err) })
  process.exit(70)
})

const bootstrap = values.bootstrap === '' ? [] : values.bootstrap.split(',').map((entry) => {
  const i = entry.lastIndexOf(':')
  return { host: entry.slice(0, i), port: Number(entry.slice(i + 1)) }
})
const dht = new HyperDHT({ bootstrap, host: values['dht-host'] })
const maxConnections = Number(values['max-connections'])
const server = new WebSocketServer({ host: values.host, port: Number(values.port), maxPayload: 4 * 1024 * 1024 })
server.on('error', (err) => { send({ type: 'crash', message: err.message }); process.exit(71) })
server.on('connection', (socket) => {
  socket.on('error', () => socket.terminate())
  if (server.clients.size > maxConnections) {
    socket.close(1013, 'too many connections')
    return
  }
  relayDHT(dht, new Stream(false, socket))
})
server.once('listening', () => {
  const address = server.address()
  send({ type: 'listening', port: typeof address === 'object' && address !== null ? address.port : 0 })
})

const stop = (): void => {
  for (const client of server.clients) client.terminate()
  server.close()
  void dht.destroy().then(() => process.exit(0))
}
process.on('disconnect', stop)
process.on('SIGTERM', stop)
