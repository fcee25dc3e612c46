// The custodial dht-relay gateway, in a process of its own: pages reach the
// DHT through it (@hyperswarm/dht-relay). What one client makes fail is
// contained to that client (its socket is closed); anything that still gets
// through ends only this process, which the relay restarts, never the relay.
import { parseArgs } from 'node:util'
import { HyperDHT, parseAddresses } from '@lume/dht'
import { WebSocketServer, type WebSocket } from 'ws'
import { relay as relayDHT } from '@hyperswarm/dht-relay'
import Stream from '@hyperswarm/dht-relay/ws'
import type { GatewayMessage } from './ws-gateway-messages.js'

const { values } = parseArgs({
  options: {
    bootstrap: { type: 'string', default: '' },
    'dht-host': { type: 'string', default: '0.0.0.0' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    'max-connections': { type: 'string', default: '256' },
    'max-per-address': { type: 'string', default: '16' },
    'idle-timeout-ms': { type: 'string', default: '60000' }
  }
})

const send = (message: GatewayMessage): void => { process.send?.(message) }
process.on('uncaughtException', (err) => {
  send({ type: 'crash', message: err.stack ?? String(err) })
  process.exit(70)
})
// A rejection nobody awaited inside dht-relay must not end every client's session.
process.on('unhandledRejection', (err) => {
  send({ type: 'client-error', message: err instanceof Error ? err.message : String(err) })
})

const bootstrap = values.bootstrap === '' ? [] : parseAddresses(values.bootstrap.split(','))
const dht = new HyperDHT({ bootstrap, host: values['dht-host'] })
const maxConnections = Number(values['max-connections'])
const maxPerAddress = Number(values['max-per-address'])
const idleTimeoutMs = Number(values['idle-timeout-ms'])
const perAddress = new Map<string, number>()
/** Sockets that have sent nothing yet, oldest first: the first to go when the gateway is full. */
const silent = new Set<WebSocket>()
const server = new WebSocketServer({ host: values.host, port: Number(values.port), maxPayload: 4 * 1024 * 1024 })
server.on('error', (err) => { send({ type: 'crash', message: err.message }); process.exit(71) })
server.on('connection', (socket, request) => {
  socket.on('error', () => socket.terminate())
  if (server.clients.size > maxConnections) {
    // Full: make room by dropping the oldest socket that never said anything,
    // so idle sockets cannot lock pages out; refuse only when there is none.
    const oldest = silent.values().next()
    if (oldest.done === true) {
      socket.close(1013, 'too many connections')
      return
    }
    silent.delete(oldest.value)
    oldest.value.terminate()
  }
  const host = request.socket.remoteAddress ?? ''
  const count = perAddress.get(host) ?? 0
  if (count >= maxPerAddress) {
    socket.close(1008, 'too many connections from this address')
    return
  }
  perAddress.set(host, count + 1)
  // Idle: nothing received for idleTimeoutMs closes the socket (its slot comes back).
  const idle = setTimeout(() => socket.close(1000, 'idle'), idleTimeoutMs)
  silent.add(socket)
  socket.on('message', () => { idle.refresh(); silent.delete(socket) })
  socket.once('close', () => {
    clearTimeout(idle)
    silent.delete(socket)
    const left = (perAddress.get(host) ?? 1) - 1
    if (left <= 0) perAddress.delete(host)
    else perAddress.set(host, left)
  })
  const stream = new Stream(false, socket)
  relayDHT(perClient(dht, (err) => {
    send({ type: 'client-error', message: err.message })
    socket.terminate()
  }), stream)
})

/**
 * The DHT as one client sees it: the same node, except that what the client
 * makes fail (e.g. listening twice on one key pair, KEYPAIR_ALREADY_USED,
 * which dht-relay 0.4.3 leaves unhandled) closes that client's socket.
 */
function perClient (node: HyperDHT, onError: (err: Error) => void): HyperDHT {
  const view = Object.create(node) as HyperDHT & Record<string, unknown>
  // Methods run on the real node (`this` stays the node), so its state is never split.
  for (let proto: object | null = node; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const value = (node as unknown as Record<string, unknown>)[name]
      if (typeof value === 'function' && name !== 'constructor' && !(name in view && Object.prototype.hasOwnProperty.call(view, name))) {
        view[name] = (value as (...args: unknown[]) => unknown).bind(node)
      }
    }
  }
  view.createServer = (...args: Parameters<HyperDHT['createServer']>) => {
    const created = node.createServer(...args)
    const listen = created.listen.bind(created)
    created.listen = async (...listenArgs: Parameters<typeof created.listen>) => {
      try {
        return await listen(...listenArgs)
      } catch (err) {
        onError(err as Error)
        void created.close().catch(() => {})
      }
    }
    return created
  }
  return view
}
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
