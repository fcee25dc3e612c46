import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import HyperDHT from 'hyperdht'
import type { Browser } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { createRelay, type Relay } from '@lume/relay'
import { Flood, floodPlugin } from '@lume/dht-flood'
import { MemoryStore, registryPlugin } from '@lume/registry'
import { generateKeyPair, keyPairFromMnemonic } from '@lume/crypto'
import { blobPlugin, Microblog } from '../src/index.js'

import { launchChromium, serveDirectory } from '../../../scripts/test-helpers/chromium.ts'
import { webSocketProxy, type WebSocketProxy } from '../../../scripts/test-helpers/ws-proxy.ts'

const pageDir = fileURLToPath(new URL('../page', import.meta.url))

describe('the microblog web UI in headless Chromium', () => {
  let testnet: Testnet
  const relays: Relay[] = []
  let http: { url: string, close: () => void }
  let outDir: string
  let browser: Browser | null = null
  let alice: Microblog

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'lume-microblog-web-'))
    await build({ root: pageDir, configFile: join(pageDir, 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } })
    testnet = await createTestnet()
    for (let i = 0; i < 2; i++) {
      const keyPair = HyperDHT.keyPair()
      const flood = new Flood({ keyPair })
      relays.push(await createRelay({
        keyPair,
        bootstrap: testnet.bootstrap,
        host: '127.0.0.1',
        announce: false,
        plugins: [floodPlugin(flood), registryPlugin({ store: new MemoryStore(), flood }), blobPlugin()],
        websocket: { port: 0, host: '127.0.0.1' }
      }))
    }
    await relays[0]!.connect(relays[1]!.publicKey)
    alice = new Microblog({ keyPair: generateKeyPair(), dialer: testnet.createNode(), relays: relays.map((r) => r.publicKey) })
    http = await serveDirectory(outDir)
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    http?.close()
    await alice?.close()
    await Promise.all(relays.map(async (r) => await r.close()))
    await testnet?.close()
    await rm(outDir, { recursive: true, force: true })
  }, 60_000)

  it('shows a followed user’s posts, posts from the page, and the page’s post reaches a Node follower', async () => {
    await alice.post('hello from node')
    browser = await launchChromium()
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    const params = new URLSearchParams({ relays: relays.map((r) => `${r.publicKeyHex}@${r.websocketUrl!}`).join(','), follow: alice.id })
    await page.goto(`${http.url}/?${params.toString()}`)
    await page.locator('#timeline li', { hasText: 'hello from node' }).waitFor({ timeout: 30_000 })

    await page.fill('#text', 'hello from the page')
    await page.click('#post')
    await page.locator('#timeline li', { hasText: 'hello from the page' }).waitFor({ timeout: 30_000 })
    expect(await page.locator('#timeline li').allInnerTexts()).toEqual([expect.stringMatching(/^you .*\nhello from the page$/), expect.stringMatching(/hello from node$/)])

    const pageUser = await page.locator('#me').innerText()
    alice.follow(pageUser)
    expect((await alice.timeline()).map((p) => p.text)).toEqual(['hello from the page', 'hello from node'])
    expect(errors).toEqual([])
    if (process.env.LUME_KEEP_SCREENSHOT !== undefined) await page.screenshot({ path: process.env.LUME_KEEP_SCREENSHOT })
  }, 120_000)

  it('through a man in the middle on every relay link, the page\'s key and its post stay unreadable', async () => {
    browser ??= await launchChromium()
    const proxies: WebSocketProxy[] = []
    for (const relay of relays) proxies.push(await webSocketProxy(relay.websocketUrl!))
    const page = await browser.newPage()
    try {
      const params = new URLSearchParams({ relays: relays.map((r, i) => `${r.publicKeyHex}@${proxies[i]!.url}`).join(',') })
      await page.goto(`${http.url}/?${params.toString()}`)
      const secretPost = 'only the relays may read this post'
      await page.fill('#text', secretPost)
      await page.click('#post')
      await page.locator('#timeline li', { hasText: secretPost }).waitFor({ timeout: 30_000 })
      // The page keeps its identity as a mnemonic in localStorage, and uses it as its key on the wire
      // (the relays see its public key): derive the secret key that must never cross.
      const mnemonic = await page.evaluate(() => localStorage.getItem('lume-microblog-mnemonic'))
      const identity = keyPairFromMnemonic(mnemonic ?? '')
      const wire = Buffer.concat(proxies.flatMap((p) => p.seen))
      expect(wire.byteLength).toBeGreaterThan(1000)
      expect(wire.includes(Buffer.from(secretPost))).toBe(false)
      expect(wire.includes(Buffer.from(identity.secretKey.subarray(0, 32)))).toBe(false)
      expect(wire.includes(Buffer.from(mnemonic ?? 'x'))).toBe(false)
    } finally {
      await page.close()
      for (const proxy of proxies) await proxy.close()
    }
  }, 120_000)
})
