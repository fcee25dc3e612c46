import { afterEach, describe, expect, it } from 'vitest'
import { Arena } from '../src/arena.js'
import { HostilePeer } from '../src/hostile-peer.js'
import { rawHttp } from '../src/raw-http.js'

/** The listener's connection cap (OpsServer's default). */
const MAX_CONNECTIONS = 32

describe('the HTTP ops listener under a hostile local client', () => {
  let arena: Arena | null = null
  afterEach(async () => { await arena?.close(); arena = null })

  it('cuts slowloris connections, refuses huge headers and bodies, serves fixed routes only', async () => {
    arena = await Arena.open()
    const url = arena.relay.httpUrl as string
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    // Slowloris: twice the connection cap, each with half a request line and a header trickled now and then.
    const slow = await Promise.all(Array.from({ length: MAX_CONNECTIONS * 2 }, async () => await rawHttp(url, 'GET /metrics HTTP/1.1\r\nhost: x\r\n')))
    const trickle = setInterval(() => { for (const s of slow) if (!s.socket.destroyed) s.socket.write('x-a: b\r\n') }, 500)
    // The relay closes every one of them (headers timeout, or over the cap): each close is awaited, none by us.
    const answers = await Promise.all(slow.map(async (s) => await s.closed))
    clearInterval(trickle)
    expect(answers.every((a) => a === '' || a.startsWith('HTTP/1.1 408') || a.startsWith('HTTP/1.1 400'))).toBe(true)
    expect((await fetch(`${url}/healthz`)).status).toBe(200)

    // Huge headers: 431 and the connection closed, not buffered.
    const huge = await rawHttp(url, `GET /metrics HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(64 * 1024)}\r\n\r\n`)
    expect(await huge.closed).toMatch(/^HTTP\/1\.1 (431|400)/)
    // A body (no route takes one) and a method other than GET or HEAD.
    expect((await fetch(`${url}/metrics`, { method: 'POST', body: 'x'.repeat(1024) })).status).toBe(405)
    const withBody = await rawHttp(url, 'GET /metrics HTTP/1.1\r\nhost: x\r\ncontent-length: 100000000\r\n\r\nxx')
    expect(await withBody.closed).toMatch(/^HTTP\/1\.1 413/)
    // Path tricks reach no file and no other route.
    for (const path of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '//metrics', '/metrics/', '/status.json/..', '/./healthz']) {
      const raw = await rawHttp(url, `GET ${path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`)
      const answer = await raw.closed
      expect(answer, path).toMatch(/^HTTP\/1\.1 404/)
      expect(answer, path).not.toContain('root:')
    }
    const absolute = await rawHttp(url, 'GET http://evil.example/metrics HTTP/1.1\r\nhost: evil.example\r\nconnection: close\r\n\r\n')
    expect(await absolute.closed).toMatch(/^HTTP\/1\.1 404/)
    expect(Arena.broken(await arena.verdict('HTTP slowloris, huge headers, bodies and path tricks'))).toEqual([])
  }, 120_000)

  it('keeps metrics and the status page bounded and inert whatever method names peers call', async () => {
    arena = await Arena.open()
    const url = arena.relay.httpUrl as string
    const peer = await HostilePeer.connect(arena.attacker, arena.relayKey)
    const xss = '<img src=x onerror=alert(1)>'
    // 3,000 calls to methods that do not exist, every name different (and some with markup in them).
    await Promise.all(Array.from({ length: 3_000 }, async (_, i) => {
      const name = i % 3 === 0 ? `${xss}${i}` : `no.such.${i}.${'z'.repeat(i % 500)}`
      await peer.request(name, HostilePeer.envelope(new Uint8Array(0))).catch(() => null)
    }))
    await peer.destroy()
    const metrics = await (await fetch(`${url}/metrics`)).text()
    const requestSeries = metrics.split('\n').filter((l) => l.startsWith('lume_rpc_requests_total{'))
    // The method label is the served method or one fixed label: a few dozen series, not thousands.
    expect(requestSeries.length).toBeLessThan(100)
    expect(metrics).not.toContain('no.such.')
    expect(metrics).not.toContain('<img')
    // The status page is a fixed document: peer text reaches it only as JSON, set as textContent.
    const page = await fetch(`${url}/`)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(await page.text()).not.toContain('<img')
    const status = await fetch(`${url}/status.json`)
    expect(status.headers.get('content-type')).toMatch(/^application\/json/)
    expect(status.headers.get('x-content-type-options')).toBe('nosniff')
    const body = await status.json() as { recentErrors: Array<{ method: string }> }
    expect(body.recentErrors.length).toBeLessThanOrEqual(20)
    for (const e of body.recentErrors) expect(e.method.length).toBeLessThanOrEqual(100)
    expect(Arena.broken(await arena.verdict('3,000 distinct unknown method names, then /metrics and the status page'))).toEqual([])
  }, 120_000)
})
