import { spawn, type ChildProcess } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, rm, stat, symlink } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BlobMethods } from '@lume/blobs'
import { CacheMethods } from '@lume/dht-cache'
import type { FloodStatsAnswer } from '@lume/dht-flood/relay-plugin'
import { DhtSource, PeerDiscovery } from '@lume/peer-discovery'
import { RegistryClient, registryKey } from '@lume/registry'
import { RpcConnection } from '@lume/rpc'
import { CoreMethods } from '@lume/rpc/core'
import { createTestnet, formatAddresses, type Testnet } from '@lume/testnet'
import { emptyCodec, fromHex, jsonCodec } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'

const require = createRequire(import.meta.url)
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`))
// The built CLI, as an operator runs it.
const cli = join(packageDir('@lume/relay'), 'dist', 'cli.js')
const PLUGINS = ['@lume/dht-flood', '@lume/dht-cache', '@lume/registry', '@lume/peer-discovery', '@lume/blobs']
const exampleConfig = fileURLToPath(new URL('../relay.yaml', import.meta.url))
// The runner's own LUME_ variables (LUME_TEST_REPORT_DIR) are not relay config: strict config would refuse them.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toUpperCase().startsWith('LUME_')))

/** The relay's key once it says it listens (and its status page URL, if it has one); rejects with its stderr if it exits first. */
async function listening (child: ChildProcess, stderr: () => string, http?: { url: string }): Promise<Uint8Array> {
  return await new Promise<Uint8Array>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`lume-relay exited with ${code}: ${stderr()}`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const page = /status page at (http:\/\/[^/ ]+)\//.exec(line)
      if (page !== null && http !== undefined) http.url = page[1]!
      // The last line of the start-up banner: everything above it has been printed.
      const match = /ping it with: lume-relay ping ([0-9a-f]{64})/.exec(line)
      if (match !== null) resolve(fromHex(match[1]!, 32))
    })
  })
}

/** One sample's value from a Prometheus scrape. */
function sample (text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

async function stop (child: ChildProcess | undefined): Promise<number | null> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  return await exited
}

describe('lume-relay start with the example relay.yaml: registry (LMDB), flood, cache, discovery and blobs from config alone', () => {
  let testnet: Testnet
  let dir: string
  let relayDir: string
  let child: ChildProcess
  let relayKey: Uint8Array
  let stderr = ''
  const http = { url: '' }

  beforeAll(async () => {
    testnet = await createTestnet()
    dir = await mkdtemp(join(tmpdir(), 'lume-relay-example-'))
    relayDir = join(dir, 'relay')
    // An operator's relay directory: the config file, and the plugins installed next to it
    // (the relay resolves them from here; its own install does not have them).
    await mkdir(join(relayDir, 'node_modules', '@lume'), { recursive: true })
    await copyFile(exampleConfig, join(relayDir, 'relay.yaml'))
    for (const name of PLUGINS) await symlink(packageDir(name), join(relayDir, 'node_modules', name), 'dir')
    child = spawn(process.execPath, [cli, 'start', '--dir', relayDir, `--dht.bootstrap=${formatAddresses(testnet.bootstrap).join(',')}`, '--announce=false', '--log.level=warn', '--http.port=0'], { stdio: ['ignore', 'pipe', 'pipe'], env })
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
    relayKey = await listening(child, () => stderr, http)
  }, 60_000)

  afterAll(async () => {
    await stop(child)
    await testnet?.close()
    await rm(dir, { recursive: true, force: true })
  }, 30_000)

  it('serves all five plugins to a client', async () => {
    const conn = RpcConnection.open(testnet.createNode().connect(relayKey))
    try {
      const info = await conn.call(CoreMethods.info, null)
      expect([...info.plugins].sort()).toEqual(['blobs', 'cache', 'discovery', 'flood', 'registry'])

      // registry: set, then get back, stored in LMDB under the relay directory.
      const registry = new RegistryClient(conn)
      const writer = generateKeyPair()
      await registry.set(writer, new TextEncoder().encode('hello'))
      const entry = await registry.get(registryKey(writer.publicKey))
      expect(new TextDecoder().decode(entry?.data)).toBe('hello')
      expect((await stat(join(relayDir, 'plugins', 'registry', 'lmdb'))).isDirectory()).toBe(true)

      // flood: the shared flood the registry and cache use, its counters served.
      const stats = await conn.call({ name: 'flood.stats', request: emptyCodec, response: jsonCodec }, null) as unknown as FloodStatsAnswer
      expect(stats).toMatchObject({ neighbours: 0, delivered: 0 })

      // cache: cache.get answers (nothing cached for an unknown hash).
      expect(await conn.call(CacheMethods.get, new Uint8Array(32))).toBeNull()

      // Each plugin's metrics, through the relay's metrics host service: counters as counters.
      const text = await (await fetch(`${http.url}/metrics`)).text()
      expect(sample(text, 'lume_registry_keys')).toBe(1)
      for (const name of ['lume_flood_delivered_total', 'lume_flood_sent_total', 'lume_flood_dropped_total', 'lume_cache_hits_total', 'lume_cache_misses_total']) {
        expect(text).toMatch(new RegExp(`^# TYPE ${name} counter$`, 'm'))
      }
      expect(sample(text, 'lume_cache_hit_ratio')).toBe(0)
      expect(sample(text, 'lume_discovery_dht_puts_total{outcome="ok"}')).toBe(1)
      for (const plugin of ['flood', 'cache', 'registry', 'discovery', 'blobs']) expect(sample(text, `lume_plugin_up{plugin="${plugin}"}`)).toBe(1)
      expect(sample(text, 'lume_rpc_requests_total{method="registry.set",outcome="ok"}')).toBe(1)
      // blobs: answers (nothing stored under an unknown hash), files under the relay directory.
      expect(await conn.call(BlobMethods.info, new Uint8Array(32))).toBeNull()
      expect((await stat(join(relayDir, 'plugins', 'blobs', 'blobs'))).isDirectory()).toBe(true)
    } finally {
      conn.destroy()
    }
  }, 30_000)

  it('puts its signed discovery record on the DHT, found by its key', async () => {
    const discovery = new PeerDiscovery()
    discovery.register('dht', new DhtSource(testnet.createNode()))
    try {
      const found = await discovery.discover(relayKey, { timeoutMs: 10_000 })
      expect(found.source).toBe('dht')
      expect(found.record.addresses).toEqual(['dht'])
    } finally {
      await discovery.close()
    }
  }, 20_000)

  it('stops cleanly on SIGTERM (exit 0, plugins and store closed)', async () => {
    expect(await stop(child)).toBe(0)
  }, 30_000)
})

describe('the README command: lume-relay start --config relay.yaml --dir <outside> --testnet', () => {
  let dir: string
  let child: ChildProcess | undefined
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'lume-relay-readme-')) })
  afterAll(async () => {
    await stop(child)
    await rm(dir, { recursive: true, force: true })
  }, 30_000)

  it('finds the plugins beside the config file, runs on its own loopback DHT, keeps its state in --dir', async () => {
    let stderr = ''
    child = spawn(process.execPath, [cli, 'start', '--config', exampleConfig, '--dir', dir, '--testnet', '--log.level=warn', '--http.port=0'], { stdio: ['ignore', 'pipe', 'pipe'], env, cwd: dirname(exampleConfig) })
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
    let stdout = ''
    child.stdout?.on('data', (d: Buffer) => { stdout += d.toString() })
    await listening(child, () => stderr)
    expect(stdout).toContain('--testnet: private DHT on loopback')
    expect(stdout).not.toContain('public HyperDHT')
    expect(stdout).toMatch(/plugins: flood, cache, registry, discovery, blobs/)
    expect((await stat(join(dir, 'identity'))).isFile()).toBe(true)
    expect((await stat(join(dir, 'plugins', 'registry', 'lmdb'))).isDirectory()).toBe(true)
    expect(await stop(child)).toBe(0)
  }, 60_000)
})
