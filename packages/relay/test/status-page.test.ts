import type { ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RpcConnection } from '@lume/rpc'
import { CoreMethods } from '@lume/rpc/core'
import { createTestnet, formatAddresses, type Testnet } from '@lume/testnet'
import { fromHex, stringCodec } from '@lume/types'
import { launchChromium } from '../../../scripts/test-helpers/chromium.ts'
import { run } from './helpers/cli.js'
import { started, stop } from './helpers/ops.js'

const hello = fileURLToPath(new URL('./fixtures/hello-plugin.ts', import.meta.url))
// Screenshots are test output: kept outside the repository for a human to look at.
const outDir = join(tmpdir(), 'lume-test-output')

interface ChartSecond { t: number, ok: number, errors: number }
interface Chart { seconds: ChartSecond[], left: number, top: number, h: number, w: number, max: number }

describe('the status page, in Chromium', () => {
  let testnet: Testnet
  let dir: string
  let child: ChildProcess
  let url: string
  let conn: RpcConnection
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    testnet = await createTestnet()
    dir = await mkdtemp(join(tmpdir(), 'lume-relay-status-'))
    await mkdir(outDir, { recursive: true })
    await writeFile(join(dir, 'relay.yaml'), ['plugins:', `  - ${hello}`, 'plugin:', '  hello:', '    greeting: hi', 'announce: false', 'http:', '  port: 0', 'log:', '  level: warn', ''].join('\n'))
    child = run(['start', '--dir', dir, `--dht.bootstrap=${formatAddresses(testnet.bootstrap).join(',')}`])
    const ready = await started(child)
    url = ready.url
    conn = RpcConnection.open(testnet.createNode().connect(fromHex(ready.key, 32)))
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    conn?.destroy()
    await stop(child)
    await testnet?.close()
    await rm(dir, { recursive: true, force: true })
  }, 30_000)

  // Ten answered and ten failed calls, all sent together (so they land in one second, mostly).
  const burst = async (): Promise<void> => {
    await Promise.all([
      ...Array.from({ length: 10 }, async () => await conn.call(CoreMethods.ping, null)),
      ...Array.from({ length: 10 }, async (_, i) => await conn.call({ name: `nope.m${i}`, request: stringCodec, response: stringCodec }, 'x').catch(() => {}))
    ])
  }
  const chart = async (): Promise<Chart> => await page.evaluate(() => (window as unknown as { lumeChart: Chart }).lumeChart)
  // The page has drawn a second at or after `t` (the page's clock is the relay's).
  const pageReaches = async (t: number): Promise<void> => {
    await page.waitForFunction((after) => Number((window as unknown as { lumeChart?: { seconds: Array<{ t: number }> } }).lumeChart?.seconds.at(-1)?.t) >= after, t, { timeout: 15_000 })
  }

  it('shows calls per wall-clock second: idle seconds as zeros, errors stacked apart from answers, latency, plugins; then "disconnected"', async () => {
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    await page.goto(`${url}/`)
    await page.waitForFunction(() => document.getElementById('state')?.dataset.state === 'live')

    await burst()
    const first = (await chart()).seconds.at(-1)!.t
    // Let at least three seconds go by with no calls at all, then call again.
    await pageReaches(first + 4)
    await burst()
    await page.waitForFunction(() => Number(document.getElementById('requests')?.textContent) >= 40)
    const drawn = await chart()

    // 120 consecutive wall-clock seconds, newest last: none skipped, idle ones present as zeros.
    expect(drawn.seconds).toHaveLength(120)
    drawn.seconds.forEach((s, i) => { if (i > 0) expect(s.t).toBe(drawn.seconds[i - 1]!.t + 1) })
    const busy = drawn.seconds.filter((s) => s.ok + s.errors > 0)
    const between = drawn.seconds.filter((s) => s.t > busy[0]!.t && s.t < busy.at(-1)!.t && s.ok + s.errors === 0)
    expect(between.length).toBeGreaterThanOrEqual(2)
    expect(Number(await page.locator('#chart').getAttribute('data-idle-seconds'))).toBeGreaterThanOrEqual(between.length)
    // The relay has run for less than 2 minutes: the seconds before it started are marked as such, not as idle.
    expect(Number(await page.locator('#chart').getAttribute('data-before-start'))).toBeGreaterThan(0)
    expect(busy.reduce((n, s) => n + s.ok, 0)).toBe(20)
    expect(busy.reduce((n, s) => n + s.errors, 0)).toBe(20)

    // A second with both answers and errors is drawn as two stacked series: blue below, red above.
    const mixed = drawn.seconds.findIndex((s) => s.ok > 0 && s.errors > 0)
    expect(mixed).toBeGreaterThanOrEqual(0)
    const colours = await page.evaluate(({ i, geometry }) => {
      const canvas = document.getElementById('chart') as HTMLCanvasElement
      const g = canvas.getContext('2d')!
      const x = Math.floor(geometry.left + i * geometry.w + Math.max(1, geometry.w - 1) / 2)
      const seen: string[] = []
      for (let y = Math.floor(geometry.top + geometry.h) - 1; y > geometry.top; y--) {
        const [r, gr, b] = g.getImageData(x, y, 1, 1).data
        const name = r === 0x1a && gr === 0x73 && b === 0xe8 ? 'ok' : r === 0xd9 && gr === 0x30 && b === 0x25 ? 'error' : null
        if (name !== null && seen.at(-1) !== name) seen.push(name)
      }
      return seen
    }, { i: mixed, geometry: drawn })
    expect(colours).toEqual(['ok', 'error'])

    expect(await page.locator('#requests').innerText()).toBe('40')
    expect(await page.locator('#errors').innerText()).toBe('20')
    expect(await page.locator('#latency').innerText()).toMatch(/^mean [\d.]+ ms · max [\d.]+ ms$/)
    expect(await page.locator('#plugins').innerText()).toBe('hello — running')
    expect(await page.locator('#recent-errors').innerText()).toContain('UNKNOWN_METHOD')
    expect(await page.locator('#recent-errors').innerText()).toContain('(unknown) nope.m')
    expect(await page.locator('#dht').innerText()).toMatch(/^(reachable|firewalled)$/)
    const live = join(outDir, 'relay-status.png')
    await page.screenshot({ path: live, fullPage: true })
    expect((await stat(live)).size).toBeGreaterThan(10_000)

    // The relay goes away: the page says so instead of showing its last numbers as if live.
    child.kill('SIGKILL')
    await page.waitForFunction(() => document.getElementById('state')?.dataset.state === 'disconnected', null, { timeout: 15_000 })
    expect(await page.locator('#state').innerText()).toMatch(/^disconnected since \d\d:\d\d:\d\d \(numbers below are from then\)$/)
    expect(await page.evaluate(() => document.body.classList.contains('stale'))).toBe(true)
    const gone = join(outDir, 'relay-status-disconnected.png')
    await page.screenshot({ path: gone, fullPage: true })
    expect(errors).toEqual([])
    console.log(`status page screenshots: ${live}, ${gone}`)
  }, 60_000)
})
