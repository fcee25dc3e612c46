// Browsers reaching a relay: the WebSocket + Noise transport against the
// older dht-relay gateway path, in Debian's Chromium, and the same client
// code in Node over the same transport. Relay in its own process.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'
import WebSocket from 'ws'
import { connectWebSocket, type WebSocketLike } from '@lume/rpc'
import { createTestnet, formatAddresses } from '@lume/testnet'
import { fromHex } from '@lume/types'
import { launchChromium, serveDirectory } from '../scripts/test-helpers/chromium.ts'
import { callsPerSecond, firstVerifiedAnswer } from './browser/client.ts'

const RUNS = 10
const CALLS = 4000
const testnet = await createTestnet()
const relayProcess = fork(new URL('./lib/ws-relay.ts', import.meta.url), [formatAddresses(testnet.bootstrap).join(',')], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
const [line] = await once(relayProcess.stdout!, 'data') as [Buffer]
const relay = JSON.parse(line.toString()) as { key: string, ws: string, gateway: string }

interface Built { dir: string, jsBytes: number, jsGzip: number }
async function buildPage (name: string): Promise<Built> {
  const root = fileURLToPath(new URL(`./browser/${name}`, import.meta.url))
  const dir = await mkdtemp(join(tmpdir(), `lume-bench-${name}-`))
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'silent', build: { outDir: dir, emptyOutDir: true } })
  const assets = join(dir, 'assets')
  let jsBytes = 0
  let jsGzip = 0
  for (const file of (await readdir(assets)).filter((f) => f.endsWith('.js'))) {
    const bytes = await readFile(join(assets, file))
    jsBytes += bytes.byteLength
    jsGzip += gzipSync(bytes).byteLength
  }
  return { dir, jsBytes, jsGzip }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
const ms = (x: number): string => `${x.toFixed(1)} ms`
const kb = (x: number): string => `${(x / 1024).toFixed(0)} KB`

const pages = { ws: await buildPage('ws'), dhtRelay: await buildPage('dht-relay') }
const browser = await launchChromium()
const servers = { ws: await serveDirectory(pages.ws.dir), dhtRelay: await serveDirectory(pages.dhtRelay.dir) }

/** Load a bench page in a fresh browser context (nothing cached) and read its result. */
async function loadPage (url: string): Promise<Record<string, number>> {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(url)
  const handle = await page.waitForFunction(() => (globalThis as { benchResult?: unknown }).benchResult, null, { timeout: 60_000 })
  const result = await handle.jsonValue() as Record<string, number>
  await context.close()
  return result
}

const wsRuns: Array<Record<string, number>> = []
const dhtRuns: Array<Record<string, number>> = []
for (let i = 0; i < RUNS; i++) {
  // Interleaved, so load from elsewhere hits both paths alike.
  wsRuns.push(await loadPage(`${servers.ws.url}/?${new URLSearchParams({ url: relay.ws, key: relay.key }).toString()}`))
  dhtRuns.push(await loadPage(`${servers.dhtRelay.url}/?${new URLSearchParams({ url: relay.gateway, key: relay.key }).toString()}`))
}
const pageCalls = await loadPage(`${servers.ws.url}/?${new URLSearchParams({ url: relay.ws, key: relay.key, calls: String(CALLS) }).toString()}`)

// The same client code in Node, over the same transport.
const nodeRuns: number[] = []
for (let i = 0; i < RUNS; i++) {
  const started = performance.now()
  const { ms: took, conn } = await firstVerifiedAnswer(connectWebSocket(new WebSocket(relay.ws) as unknown as WebSocketLike, fromHex(relay.key, 32)), started)
  nodeRuns.push(took)
  conn.destroy()
}
const nodeConn = (await firstVerifiedAnswer(connectWebSocket(new WebSocket(relay.ws) as unknown as WebSocketLike, fromHex(relay.key, 32)), performance.now())).conn
const nodeUnsigned = await callsPerSecond(nodeConn, false, CALLS, 64)
const nodeSigned = await callsPerSecond(nodeConn, true, CALLS, 64)
nodeConn.destroy()

const wsConnect = median(wsRuns.map((r) => r.connectToAnswerMs ?? NaN))
const dhtConnect = median(dhtRuns.map((r) => r.connectToAnswerMs ?? NaN))
const nodeConnect = median(nodeRuns)
const wsNav = median(wsRuns.map((r) => r.navigationToAnswerMs ?? NaN))
const dhtNav = median(dhtRuns.map((r) => r.navigationToAnswerMs ?? NaN))

console.log(`\n### Browser → relay (Chromium ${browser.version()}, ${RUNS} fresh loads each, medians; relay in its own process)\n`)
console.log('| measure | WebSocket + Noise | dht-relay gateway | Node, same code, WebSocket + Noise | goal |')
console.log('|---|---:|---:|---:|---|')
console.log(`| start connecting → first verified answer | ${ms(wsConnect)} | ${ms(dhtConnect)} | ${ms(nodeConnect)} | ≤ 0.5× dht-relay (${(wsConnect / dhtConnect).toFixed(2)}×), ≤ 2× Node (${(wsConnect / nodeConnect).toFixed(2)}×) |`)
console.log(`| navigation → first verified answer | ${ms(wsNav)} | ${ms(dhtNav)} | — | p50 ≤ 120 ms |`)
console.log(`| page JavaScript (minified / gzip) | ${kb(pages.ws.jsBytes)} / ${kb(pages.ws.jsGzip)} | ${kb(pages.dhtRelay.jsBytes)} / ${kb(pages.dhtRelay.jsGzip)} | — | — |`)
console.log(`| calls/s over one connection, unsigned (64 in flight) | ${Math.round(pageCalls.unsignedPerSec ?? NaN).toLocaleString('en-US')} | — | ${Math.round(nodeUnsigned).toLocaleString('en-US')} | ≥ 0.5× Node (${((pageCalls.unsignedPerSec ?? NaN) / nodeUnsigned).toFixed(2)}×) |`)
console.log(`| calls/s over one connection, signed + verified | ${Math.round(pageCalls.signedPerSec ?? NaN).toLocaleString('en-US')} | — | ${Math.round(nodeSigned).toLocaleString('en-US')} | ≥ 0.5× Node (${((pageCalls.signedPerSec ?? NaN) / nodeSigned).toFixed(2)}×) |`)

await browser.close()
servers.ws.close()
servers.dhtRelay.close()
relayProcess.disconnect()
await once(relayProcess, 'exit')
await testnet.close()
await Promise.all(Object.values(pages).map(async (p) => await rm(p.dir, { recursive: true, force: true })))
