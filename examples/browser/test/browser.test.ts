import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import HyperDHT from 'hyperdht'
import type { Browser } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encode as baoEncode } from '@lume/bao-stream'
import { createTestnet, type Testnet } from '@lume/testnet'
import { createRelay, type Relay } from '@lume/relay'
import { Flood, floodPlugin } from '@lume/dht-flood'
import { MemoryStore, RegistryClient, registryPlugin } from '@lume/registry'
import { RpcConnection } from '@lume/rpc'
import { bytesCodec, generateKeyPair, PLUGIN_API_VERSION, stringCodec, toHex, uintCodec, type Plugin } from '@lume/types'

import { launchChromium, serveDirectory } from '../../../scripts/test-helpers/chromium.ts'
import { webSocketProxy } from '../../../scripts/test-helpers/ws-proxy.ts'

const pageDir = fileURLToPath(new URL('../page', import.meta.url))

/**
 * The relay-side plugins the page talks to: a fortune (quorum) and a blob
 * store. A lying relay answers the fortune wrongly; a corrupt one flips a
 * byte in the middle of the blob it serves.
 */
function demoPlugins (blob: { hash: Uint8Array, encoded: Uint8Array, size: number }, role: 'honest' | 'liar' | 'corrupt'): Plugin[] {
  const served = role === 'corrupt' ? blob.encoded.slice() : blob.encoded
  if (role === 'corrupt') served[Math.floor(served.length / 2)]! ^= 1
  return [{
    name: 'demo',
    apiVersion: PLUGIN_API_VERSION,
    start (api) {
      api.registerMethod({ name: 'fortune', request: stringCodec, response: stringCodec, handler: (q: string) => role === 'liar' ? 'buy my coin' : `"${q}": the answer is ${q.length % 43}` })
    }
  }, {
    name: 'blob',
    apiVersion: PLUGIN_API_VERSION,
    start (api) {
      api.registerMethod({ name: 'size', request: bytesCodec, response: uintCodec, handler: () => blob.size })
      api.registerMethod({
        name: 'get',
        request: bytesCodec,
        response: bytesCodec,
        stream: true,
        handler: function * () {
          for (let at = 0; at < served.length; at += 65_536) yield served.subarray(at, at + 65_536)
        }
      })
    }
  }]
}

describe('the browser example in headless Chromium', () => {
  let testnet: Testnet
  const relays: Relay[] = []
  let http: { url: string, close: () => void }
  let outDir: string
  let browser: Browser | null = null

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'lume-browser-'))
    await build({ root: pageDir, configFile: join(pageDir, 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } })
    const content = new Uint8Array(600_000).map((_, i) => (i * 31) & 0xff)
    const { hash, bytes } = baoEncode(content, { k: 4 })
    const blob = { hash, encoded: bytes, size: content.length }
    testnet = await createTestnet()
    for (let i = 0; i < 3; i++) {
      const keyPair = HyperDHT.keyPair()
      const flood = new Flood({ keyPair })
      relays.push(await createRelay({
        keyPair, bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false,
        plugins: [floodPlugin(flood), registryPlugin({ store: new MemoryStore(), flood }), ...demoPlugins(blob, (['corrupt', 'honest', 'liar'] as const)[i]!)],
        websocket: { port: 0, host: '127.0.0.1' }
      }))
    }
    await relays[0]!.connect(relays[1]!.publicKey)
    await relays[1]!.connect(relays[2]!.publicKey)
    http = await serveDirectory(outDir)
    ;(globalThis as { blob?: unknown }).blob = blob
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    http?.close()
    await Promise.all(relays.map(async (r) => await r.close()))
    await testnet?.close()
    await rm(outDir, { recursive: true, force: true })
  }, 60_000)

  it('over WebSocket + Noise: outvotes a lying relay, reads and follows a registry entry, catches a corrupt download', async () => {
    const blob = (globalThis as { blob?: { hash: Uint8Array, size: number } }).blob!
    const alice = generateKeyPair()
    const writer = new RegistryClient(RpcConnection.open(testnet.createNode().connect(relays[2]!.publicKey)))
    await writer.set(alice, new TextEncoder().encode('hello browser'))
    await new Promise((resolve) => setTimeout(resolve, 300))

    browser = await launchChromium()
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    const params = new URLSearchParams({
      relays: relays.map((r) => `${r.publicKeyHex}@${r.websocketUrl!}`).join(','),
      key: toHex(alice.publicKey),
      blob: toHex(blob.hash)
    })
    await page.goto(`${http.url}/?${params.toString()}`)
    // The page is now subscribed: an update written elsewhere must reach it.
    await page.waitForFunction(() => document.getElementById('subscription')?.textContent?.startsWith('waiting') === true || document.getElementById('status')?.textContent?.startsWith('failed') === true, null, { timeout: 30_000 })
    await writer.set(alice, new TextEncoder().encode('second post'))
    await page.waitForFunction(() => ['done', 'failed'].some((s) => document.getElementById('status')?.textContent?.startsWith(s) === true), null, { timeout: 30_000 })

    const text = async (id: string): Promise<string> => await page.locator(`#${id}`).innerText()
    const shot = join(outDir, 'page.png')
    await page.screenshot({ path: shot, fullPage: true })
    expect(errors).toEqual([])
    expect(await text('status')).toBe('done')
    const short = (r: Relay): string => r.publicKeyHex.slice(0, 6)
    expect(await text('connection')).toBe('3 of 3 relays reached over WebSocket, each proving its key')
    expect(await text('quorum-title')).toBe('Quorum query (2 of 3 relays must agree)')
    // The liar (relay 2) is outvoted: the answer is signed by the two honest relays.
    expect(await text('quorum')).toMatch(/^"from a browser": the answer is \d+ — signed by [0-9a-f]{6}, [0-9a-f]{6}$/)
    expect((await text('quorum')).split('signed by ')[1]!.split(', ').sort()).toEqual([short(relays[0]!), short(relays[1]!)].sort())
    expect(await text('registry')).toBe('revision 0: hello browser')
    expect(await text('subscription')).toBe('update: revision 1: second post')
    // Relay 0 flipped a byte: caught before a single unverified byte was counted, then relay 1 served it.
    expect(await text('download')).toMatch(new RegExp(`^relay ${short(relays[0]!)}: corruption caught after \\d+ verified bytes \\(HASH_MISMATCH\\); relay ${short(relays[1]!)}: ${blob.size} bytes verified against ${toHex(blob.hash).slice(0, 12)}…$`))
    expect((await stat(shot)).size).toBeGreaterThan(10_000)
    if (process.env.LUME_KEEP_SCREENSHOT !== undefined) await import('node:fs/promises').then(async (fs) => await fs.copyFile(shot, process.env.LUME_KEEP_SCREENSHOT as string))
  }, 120_000)

  it('an impostor endpoint fails the handshake; a proxy in the middle sees only ciphertext', async () => {
    browser ??= await launchChromium()
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    // Relay 1 is reached through a man in the middle; relay 2's key is paired with relay 0's endpoint.
    const proxy = await webSocketProxy(relays[1]!.websocketUrl!)
    try {
      const params = new URLSearchParams({
        relays: [`${relays[1]!.publicKeyHex}@${proxy.url}`, `${relays[2]!.publicKeyHex}@${relays[0]!.websocketUrl!}`].join(','),
        quorum: '1'
      })
      await page.goto(`${http.url}/?${params.toString()}`)
      await page.waitForFunction(() => ['done', 'failed'].some((s) => document.getElementById('status')?.textContent?.startsWith(s) === true), null, { timeout: 30_000 })
      const text = async (id: string): Promise<string> => await page.locator(`#${id}`).innerText()
      expect(errors).toEqual([])
      expect(await text('connection')).toMatch(new RegExp(`^1 of 2 relays reached over WebSocket, each proving its key; unreachable: ${relays[2]!.publicKeyHex.slice(0, 6)} \\(HANDSHAKE_FAILED: the endpoint did not prove key`))
      expect(await text('quorum')).toMatch(/^"from a browser": the answer is \d+ — signed by [0-9a-f]{6}$/)
      expect(await text('status')).toBe('done')
      // The proxy carried the whole exchange, and could read none of it.
      const wire = Buffer.concat(proxy.seen)
      expect(wire.byteLength).toBeGreaterThan(100)
      expect(wire.includes(Buffer.from('from a browser'))).toBe(false)
      expect(wire.includes(Buffer.from('demo.fortune'))).toBe(false)
      expect(wire.includes(Buffer.from('the answer is'))).toBe(false)
    } finally {
      await page.close()
      await proxy.close()
    }
  }, 60_000)
})
