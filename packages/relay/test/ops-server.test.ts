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
