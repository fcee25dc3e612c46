import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hash as baoHash } from '@lume/bao-stream'
import type { HyperDHT } from '@lume/dht'
import { createDHTNode, createProcessTestnet, type ProcessTestnet } from '@lume/testnet'
import { RegistryClient } from '@lume/registry'
import { RpcConnection } from '@lume/rpc'
import { fromHex, toHex } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { blobContent, type RelayCommands } from './relay-commands.js'

import { launchChromium, serveDirectory } from '../../../scripts/test-helpers/chromium.ts'
import { webSocketProxy } from '../../../scripts/test-helpers/ws-proxy.ts'

const pageDir = fileURLToPath(new URL('../page', import.meta.url))

const peerProgram = fileURLToPath(new URL('./relay-peer.ts', import.meta.url))

describe('the browser example in headless Chromium, relays in their own processes', () => {
  let net: ProcessTestnet<RelayCommands>
  let client: HyperDHT
  const relays: Array<{ publicKey: string, websocketUrl: string }> = []
  let http: { url: string, close: () => void }
  let outDir: string
  let browser: Browser | null = null

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'lume-browser-'))
    await build({ root: pageDir, configFile: join(pageDir, 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } })
    // Three relays, each a process of its own: relay 0 serves a corrupted blob, relay 2 lies.
    net = await createProcessTestnet<RelayCommands>({ peers: 3, program: peerProgram })
    for (const [i, role] of (['corrupt', 'honest', 'liar'] as const).entries()) {
      await net.peers[i]!.request('role', { role })
      relays.push({ ...await net.peers[i]!.request('info', {}) })
    }
    // A line, 0 — 1 — 2: relay 0 hears relay 2's registry writes through relay 1.
    await net.peers[0]!.request('connect', { publicKey: relays[1]!.publicKey })
    await net.peers[1]!.request('connect', { publicKey: relays[2]!.publicKey })
    await Promise.all([net.peers[0]!.request('neighbours', { count: 1 }), net.peers[1]!.request('neighbours', { count: 2 }), net.peers[2]!.request('neighbours', { count: 1 })])
    client = createDHTNode(net.bootstrap)
    http = await serveDirectory(outDir)
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    http?.close()
    await client?.destroy()
    await net?.close()
    await rm(outDir, { recursive: true, force: true })
  }, 60_000)

  it('over WebSocket + Noise: outvotes a lying relay, reads and follows a registry entry, catches a corrupt download', async () => {
    const content = blobContent()
    const blob = { hash: baoHash(content), size: content.length }
    const alice = generateKeyPair()
    const writer = new RegistryClient(RpcConnection.open(client.connect(fromHex(relays[2]!.publicKey, 32))))
    await writer.set(alice, new TextEncoder().encode('hello browser'))
    await new Promise((resolve) => setTimeout(resolve, 300))

    browser = await launchChromium()
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    const params = new URLSearchParams({
      relays: relays.map((r) => `${r.publicKey}@${r.websocketUrl}`).join(','),
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
    const short = (r: { publicKey: string }): string => r.publicKey.slice(0, 6)
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
    const proxy = await webSocketProxy(relays[1]!.websocketUrl)
    try {
      const params = new URLSearchParams({
        relays: [`${relays[1]!.publicKey}@${proxy.url}`, `${relays[2]!.publicKey}@${relays[0]!.websocketUrl}`].join(','),
        quorum: '1'
      })
      await page.goto(`${http.url}/?${params.toString()}`)
      await page.waitForFunction(() => ['done', 'failed'].some((s) => document.getElementById('status')?.textContent?.startsWith(s) === true), null, { timeout: 30_000 })
      const text = async (id: string): Promise<string> => await page.locator(`#${id}`).innerText()
      expect(errors).toEqual([])
      expect(await text('connection')).toMatch(new RegExp(`^1 of 2 relays reached over WebSocket, each proving its key; unreachable: ${relays[2]!.publicKey.slice(0, 6)} \\(HANDSHAKE_FAILED: the endpoint did not prove key`))
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

  it('from an invite link: the relay\'s signed record names its endpoint, the handshake proves its key', async () => {
    browser ??= await launchChromium()
    const page = await browser.newPage()
    try {
      const { link } = await net.peers[1]!.request('invite', {})
      await page.goto(`${http.url}/?${new URLSearchParams({ invite: link }).toString()}`)
      await page.waitForFunction(() => ['done', 'failed'].some((s) => document.getElementById('status')?.textContent?.startsWith(s) === true), null, { timeout: 30_000 })
      expect(await page.locator('#status').innerText()).toBe('done')
      expect(await page.locator('#connection').innerText()).toBe('1 of 1 relays reached over WebSocket, each proving its key')
      expect(await page.locator('#quorum').innerText()).toMatch(new RegExp(`— signed by ${relays[1]!.publicKey.slice(0, 6)}$`))
    } finally {
      await page.close()
    }
  }, 60_000)

  it('says what is missing instead of failing obscurely', async () => {
    browser ??= await launchChromium()
    const page = await browser.newPage()
    try {
      await page.goto(http.url)
      await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('failed') === true, null, { timeout: 30_000 })
      expect(await page.locator('#status').innerText()).toMatch(/^failed: no relays given: open this page with \?relays=/)
    } finally {
      await page.close()
    }
  }, 60_000)
})
