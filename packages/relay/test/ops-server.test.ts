import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '@lume/types'
import { OpsServer } from '../src/lib/ops-server.js'

describe('OpsServer before a relay is attached', () => {
  let ops: OpsServer | undefined
  afterEach(async () => { await ops?.close() })

  it('is alive (/healthz) but not ready (/readyz 503), and has nothing to scrape yet', async () => {
    ops = await OpsServer.listen({ port: 0 }, silentLogger)
    expect(ops.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect((await fetch(`${ops.url}/healthz`)).status).toBe(200)
    const ready = await fetch(`${ops.url}/readyz`)
    expect([ready.status, await ready.text()]).toEqual([503, 'not ready: starting\n'])
    expect((await fetch(`${ops.url}/metrics`)).status).toBe(503)
    // The page itself is served at once: it shows "disconnected" until the relay answers.
    const page = await fetch(`${ops.url}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(await page.text()).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\//)
  })

  it('closes idempotently', async () => {
    ops = await OpsServer.listen({ port: 0 }, silentLogger)
    await Promise.all([ops.close(), ops.close()])
    await ops.close()
  })
})

describe('OpsServer under attack', () => {
  let ops: OpsServer | undefined
  const sockets: Socket[] = []
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy()
    await ops?.close()
  })
  const open = async (url: string): Promise<Socket> => {
    const { port } = new URL(url)
    const socket = connect(Number(port), '127.0.0.1')
    sockets.push(socket)
    socket.on('error', () => {})
    await new Promise((resolve) => socket.once('connect', resolve))
    return socket
  }

  it('cuts off a client that trickles its headers (slowloris) once the headers timeout passes', async () => {
    ops = await OpsServer.listen({ port: 0, headersTimeoutMs: 300 }, silentLogger)
    const socket = await open(ops.url)
    let answer = ''
    socket.on('data', (d: Buffer) => { answer += d.toString() })
    socket.write('GET /healthz HTTP/1.1\r\nhost: x\r\n')
    // One header byte at a time, each well within the idle timeout, never finishing the headers.
    const trickle = setInterval(() => { if (!socket.destroyed) socket.write('x') }, 50)
    try {
      await new Promise((resolve) => socket.once('close', resolve))
    } finally {
      clearInterval(trickle)
    }
    expect(answer).toMatch(/^HTTP\/1\.1 408 /)
  }, 20_000)

  it('holds at most maxConnections sockets: the next one is closed at once, and the listener recovers', async () => {
    ops = await OpsServer.listen({ port: 0, maxConnections: 4 }, silentLogger)
    for (let i = 0; i < 4; i++) await open(ops.url)
    const extra = await open(ops.url)
    await new Promise((resolve) => extra.once('close', resolve))
    for (const s of sockets.splice(0)) s.destroy()
    // Freed slots are usable again.
    await expect.poll(async () => (await fetch(`${ops!.url}/healthz`).catch(() => null))?.status).toBe(200)
  })
})
