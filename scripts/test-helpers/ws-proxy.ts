import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import WebSocket, { WebSocketServer } from 'ws'

/** A man in the middle for WebSocket tests: forwards every message both ways and keeps a copy. */
export interface WebSocketProxy {
  /** `ws://127.0.0.1:port` to give clients instead of the target. */
  url: string
  /** Every message it forwarded, in both directions. */
  seen: Buffer[]
  close: () => Promise<void>
}

/** Start a forwarding proxy in front of `target` (a ws:// URL) on a free loopback port. */
export async function webSocketProxy (target: string): Promise<WebSocketProxy> {
  const seen: Buffer[] = []
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await once(server, 'listening')
  server.on('connection', (inbound) => {
    const outbound = new WebSocket(target)
    const queued: Buffer[] = []
    outbound.on('open', () => { for (const q of queued.splice(0)) outbound.send(q) })
    inbound.on('message', (data: Buffer) => {
      seen.push(data)
      if (outbound.readyState === WebSocket.OPEN) outbound.send(data)
      else queued.push(data)
    })
    outbound.on('message', (data: Buffer) => { seen.push(data); inbound.send(data) })
    inbound.on('close', () => outbound.close())
    outbound.on('close', () => inbound.close())
    inbound.on('error', () => {})
    outbound.on('error', () => {})
  })
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: async () => {
      for (const c of server.clients) c.terminate()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}
