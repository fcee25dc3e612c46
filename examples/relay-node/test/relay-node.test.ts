import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '@lume/cfg'
import { CoreMethods, RpcConnection } from '@lume/rpc'
import { createTestnet, formatAddresses, type Testnet } from '@lume/testnet'
import { generateKeyPair } from '@lume/types'
import { nodeConfigSchema, startRelayNode, type RelayNode } from '../src/index.js'
import { launchChromium } from '../../../scripts/test-helpers/chromium.ts'

describe('relay node: metrics and status page', () => {
  let testnet: Testnet
  let node: RelayNode
  let dir: string

  beforeAll(async () => {
    testnet = await createTestnet()
    dir = await mkdtemp(join(tmpdir(), 'lume-relay-node-'))
    // The documented config file, with this test's DHT, ports and directory on top (flags win).
    const configFile = fileURLToPath(new URL('../relay.config.yaml', import.meta.url))
    const cfg = await loadConfig({ schema: nodeConfigSchema, userFile: configFile, dir: join(configFile, '..'), env: {}, argv: [`--dir=${dir}`, `--dht.bootstrap=${formatAddresses(testnet.bootstrap).join(',')}`, '--dht.port=0', '--websocket.port=0', '--websocket.host=127.0.0.1', '--http.port=0', '--log.level=silent'] })
    node = await startRelayNode(cfg.value, generateKeyPair())
  }, 30_000)
  afterAll(async () => {
    await node?.close()
    await testnet?.close()
    await rm(dir, { recursive: true, force: true })
  }, 30_000)

  it('serves Prometheus metrics: connections, requests by method and outcome, latency, registry, cache, flood', async () => {
    const conn = RpcConnection.open(testnet.createNode().connect(node.relay.publicKey))
    for (let i = 0; i < 5; i++) await conn.call(CoreMethods.ping, null)
    await conn.call({ name: 'nope.nope', request: CoreMethods.ping.request, response: CoreMethods.ping.response }, null).catch(() => {})
    await conn.call({ name: 'registry.get', request: CoreMethods.ping.request, response: CoreMethods.ping.response }, null).catch(() => {})
    const text = await (await fetch(`${node.httpUrl}/metrics`)).text()
    expect(text).toMatch(/lume_rpc_requests_total\{method="core\.ping",outcome="ok"\} 5/)
    expect(text).toMatch(/lume_rpc_requests_total\{method="registry\.get",outcome="BAD_FRAME"\} 1/)
    expect(text).toMatch(/lume_rpc_duration_seconds_bucket\{le="0\.005",method="core\.ping"\} \d/)
    expect(text).toMatch(/lume_connections [1-9]/)
    expect(text).toMatch(/lume_registry_keys 0/)
    expect(text).toContain('lume_cache_hits_total')
    expect(text).toContain('lume_flood_sent_total')
    conn.destroy()
  })

  it('shows a live status page with a chart of requests (headless Chromium)', async () => {
    const conn = RpcConnection.open(testnet.createNode().connect(node.relay.publicKey))
    const browser = await launchChromium()
    try {
      const page = await browser.newPage()
      await page.goto(`${node.httpUrl}/`)
      for (let i = 0; i < 20; i++) await conn.call(CoreMethods.ping, null)
      await page.waitForFunction(() => Number(document.getElementById('chart')?.dataset.points) > 0 && Number(document.getElementById('requests')?.textContent) >= 20, null, { timeout: 10_000 })
      expect(await page.locator('#key').innerText()).toContain(node.relay.publicKeyHex)
      expect(await page.locator('#key').innerText()).toContain('registry')
      const shot = join(dir, 'status.png')
      await page.screenshot({ path: shot })
      expect((await stat(shot)).size).toBeGreaterThan(5_000)
      if (process.env.LUME_KEEP_SCREENSHOT !== undefined) await import('node:fs/promises').then(async (fs) => await fs.copyFile(shot, process.env.LUME_KEEP_SCREENSHOT as string))
    } finally {
      await browser.close()
      conn.destroy()
    }
  }, 30_000)
})
