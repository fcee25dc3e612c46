import type { ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { connectWebSocket, RpcConnection, type WebSocketLike } from '@lume/rpc'
import { CoreMethods } from '@lume/rpc/core'
import { createTestnet, formatAddresses, type Testnet } from '@lume/testnet'
import { ErrorCode, fromHex, stringCodec } from '@lume/types'
import { finish, run } from './helpers/cli.js'
import { raw, sample, started, stop } from './helpers/ops.js'

const metered = fileURLToPath(new URL('./fixtures/metered-plugin.ts', import.meta.url))
const hello = fileURLToPath(new URL('./fixtures/hello-plugin.ts', import.meta.url))

describe('lume-relay start with http enabled: /metrics, /healthz, /readyz', () => {
  let testnet: Testnet
  let dir: string
  let child: ChildProcess
  let url: string
  let ws: string
  let key: Uint8Array
  let conn: RpcConnection

  beforeAll(async () => {
    testnet = await createTestnet()
    dir = await mkdtemp(join(tmpdir(), 'lume-relay-ops-'))
    await writeFile(join(dir, 'relay.yaml'), [
      'plugins:', `  - ${hello}`, `  - ${metered}`,
      'plugin:', '  hello:', '    greeting: hi',
      'announce: false',
      'http:', '  port: 0',
      'websocket:', '  port: 0', '  host: 127.0.0.1',
      'log:', '  level: warn', ''
    ].join('\n'))
    child = run(['start', '--dir', dir, `--dht.bootstrap=${formatAddresses(testnet.bootstrap).join(',')}`])
    const ready = await started(child)
    url = ready.url
    ws = ready.ws
    key = fromHex(ready.key, 32)
    conn = RpcConnection.open(testnet.createNode().connect(key))
  }, 60_000)

  afterAll(async () => {
    conn?.destroy()
    await stop(child)
    await testnet?.close()
    await rm(dir, { recursive: true, force: true })
  }, 30_000)

  const scrape = async (): Promise<string> => {
    const res = await fetch(`${url}/metrics`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    return await res.text()
  }

  it('answers /healthz and /readyz once the DHT node joined and the relay serves its key', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const health = await fetch(`${url}/healthz`)
    expect([health.status, await health.text()]).toEqual([200, 'ok\n'])
    const ready = await fetch(`${url}/readyz`)
    expect([ready.status, await ready.text()]).toEqual([200, 'ready\n'])
  })

  it('exports the process metrics and build info', async () => {
    const text = await scrape()
    for (const name of ['process_resident_memory_bytes', 'process_cpu_user_seconds_total', 'nodejs_eventloop_lag_seconds', 'process_open_fds', 'nodejs_heap_size_used_bytes']) {
      expect(text).toMatch(new RegExp(`^${name} \\d`, 'm'))
    }
    expect(text).toMatch(new RegExp(`^lume_relay_info\\{version="[^"]+",node="${process.version}",public_key="${Buffer.from(key).toString('hex')}"\\} 1$`, 'm'))
    expect(text).toMatch(/^# TYPE lume_rpc_requests_total counter$/m)
    expect(text).toMatch(/^# TYPE lume_network_received_bytes_total counter$/m)
    expect(sample(text, 'lume_plugin_up{plugin="hello"}')).toBe(1)
    expect(sample(text, 'lume_plugin_up{plugin="metered"}')).toBe(1)
    expect(sample(text, 'lume_dht_bootstrapped')).toBe(1)
  })

  it('counts real calls by method and outcome, unknown methods included, with latency, connections and bytes', async () => {
    const before = await scrape()
    const calls = (text: string, series: string): number => sample(text, `lume_rpc_requests_total{${series}}`) ?? 0
    for (let i = 0; i < 3; i++) await conn.call(CoreMethods.ping, null)
    expect(await conn.call({ name: 'hello.greet', request: stringCodec, response: stringCodec }, 'you')).toBe('hi you')
    await expect(conn.call({ name: 'nope.nothing', request: stringCodec, response: stringCodec }, 'x')).rejects.toMatchObject({ code: ErrorCode.UNKNOWN_METHOD })
    await expect(conn.call({ name: 'hello.greet', request: CoreMethods.ping.request, response: stringCodec }, null)).rejects.toMatchObject({ code: ErrorCode.BAD_FRAME })
    const after = await scrape()
    expect(calls(after, 'method="core.ping",outcome="ok"') - calls(before, 'method="core.ping",outcome="ok"')).toBe(3)
    expect(calls(after, 'method="hello.greet",outcome="ok"') - calls(before, 'method="hello.greet",outcome="ok"')).toBe(1)
    expect(calls(after, 'method="(unknown)",outcome="UNKNOWN_METHOD"') - calls(before, 'method="(unknown)",outcome="UNKNOWN_METHOD"')).toBe(1)
    expect(calls(after, 'method="hello.greet",outcome="BAD_FRAME"') - calls(before, 'method="hello.greet",outcome="BAD_FRAME"')).toBe(1)
    expect(sample(after, 'lume_rpc_request_duration_seconds_count{method="core.ping"}')).toBeGreaterThanOrEqual(3)
    expect(sample(after, 'lume_connections')).toBeGreaterThanOrEqual(1)
    expect(sample(after, 'lume_network_received_bytes_total')).toBeGreaterThan(sample(before, 'lume_network_received_bytes_total') ?? 0)
    expect(sample(after, 'lume_network_sent_bytes_total')).toBeGreaterThan(sample(before, 'lume_network_sent_bytes_total') ?? 0)
    // The plugin's own metrics, prefixed with its name: a counter it increments and a gauge read at scrape time.
    await conn.call({ name: 'metered.count', request: stringCodec, response: stringCodec }, 'a')
    const text = await scrape()
    expect(sample(text, 'lume_metered_calls_total{tag="a"}')).toBe(1)
    expect(sample(text, 'lume_metered_held')).toBe(8)
  })

  it('counts WebSocket clients and their bytes', async () => {
    const before = await scrape()
    const socket = new WebSocket(ws)
    const client = RpcConnection.open(connectWebSocket(socket as unknown as WebSocketLike, key))
    try {
      await client.call(CoreMethods.ping, null)
      const during = await scrape()
      expect(sample(during, 'lume_websocket_clients')).toBe(1)
      expect(sample(during, 'lume_network_received_bytes_total')).toBeGreaterThan(sample(before, 'lume_network_received_bytes_total')!)
    } finally {
      client.destroy()
    }
    await expect.poll(async () => sample(await scrape(), 'lume_websocket_clients')).toBe(0)
  })

  it('attack: method names and label values a peer chooses cannot grow the metrics without bound', async () => {
    const burst = async (names: string[], call: (name: string) => Promise<unknown>): Promise<void> => {
      for (let i = 0; i < names.length; i += 50) await Promise.all(names.slice(i, i + 50).map(async (n) => await call(n).catch(() => {})))
    }
    await burst(Array.from({ length: 1500 }, (_, i) => `junk.m${i}`), async (name) => await conn.call({ name, request: stringCodec, response: stringCodec }, 'x'))
    await burst(Array.from({ length: 1100 }, (_, i) => `tag${i}`), async (tag) => await conn.call({ name: 'metered.count', request: stringCodec, response: stringCodec }, tag))
    const text = await scrape()
    const series = (name: string): string[] => text.split('\n').filter((l) => l.startsWith(name + '{'))
    expect(series('lume_rpc_requests_total').filter((l) => l.includes('junk'))).toEqual([])
    expect(sample(text, 'lume_rpc_requests_total{method="(unknown)",outcome="UNKNOWN_METHOD"}')).toBeGreaterThanOrEqual(1500)
    // The first 1000 label sets are kept; the rest are counted under "other".
    expect(series('lume_metered_calls_total').length).toBe(1001)
    expect(sample(text, 'lume_metered_calls_total{tag="other"}')).toBeGreaterThanOrEqual(100)
  }, 60_000)

  it('attack: the HTTP listener takes GET/HEAD only, no bodies, bounded headers and URLs, and serves no files', async () => {
    expect((await raw(url, { method: 'POST', path: '/metrics', body: 'x' })).status).toBe(405)
    expect((await raw(url, { method: 'GET', path: '/healthz', headers: { 'content-length': '5' }, body: 'hello' })).status).toBe(413)
    expect((await raw(url, { path: '/healthz', headers: { 'x-big': 'a'.repeat(16 * 1024) } })).status).toBe(431)
    expect((await raw(url, { path: '/' + 'a'.repeat(4096) })).status).toBe(414)
    for (const path of ['/../identity', '/%2e%2e/identity', '/relay.yaml', '/..%2fidentity', '//etc/passwd']) {
      const res = await raw(url, { path })
      expect([path, res.status]).toEqual([path, 404])
      expect(res.body).toBe('not found\n')
    }
    const head = await raw(url, { method: 'HEAD', path: '/healthz' })
    expect([head.status, head.body]).toEqual([200, ''])
    // Still serving after all that.
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
  })

  it('stops cleanly on SIGTERM with the listener open (exit 0), and the listener goes with it', async () => {
    conn.destroy()
    expect(await stop(child)).toBe(0)
    await expect(fetch(`${url}/healthz`)).rejects.toThrow()
  })
})

describe('lume-relay start: the HTTP port', () => {
  let testnet: Testnet
  let dir: string
  let taken: Server
  beforeAll(async () => {
    testnet = await createTestnet()
    dir = await mkdtemp(join(tmpdir(), 'lume-relay-ops-port-'))
    await mkdir(dir, { recursive: true })
    taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  })
  afterAll(async () => {
    await new Promise((resolve) => taken?.close(resolve))
    await testnet?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('in use: exits non-zero with one line, before joining the DHT', async () => {
    const port = (taken.address() as { port: number }).port
    const { code, stderr, stdout } = await finish(run(['start', '--dir', dir, `--dht.bootstrap=${formatAddresses(testnet.bootstrap).join(',')}`, `--http.port=${port}`, '--announce=false', '--log.level=silent']))
    expect(code).toBe(1)
    expect(stderr.trim()).toBe(`lume-relay start: CONNECTION_FAILED: HTTP port ${port} on 127.0.0.1 is in use (set http.port to a free port, or 0 for any)`)
    expect(stdout).not.toContain('listening as')
  }, 30_000)
})
