import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { curl } from './curl.js'
import { BlobClient } from '@lume/blobs'
import { RelayPool } from '@lume/rpc-client'
import { createTestnet, formatAddresses, type Testnet } from '@lume/testnet'
import { fromHex, toHex } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { createGateway, lumeSource } from '../src/index.js'

const require = createRequire(import.meta.url)
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`))
const relayCli = join(packageDir('@lume/relay'), 'dist', 'cli.js')
const gatewayCli = new URL('../dist/cli.js', import.meta.url).pathname
const PLUGINS = ['@lume/dht-flood', '@lume/dht-cache', '@lume/blobs']
// The runner's LUME_ variables are not relay config: strict config would refuse them.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toUpperCase().startsWith('LUME_')))

const CONFIG = `# Three plugins by package name; blobs with its defaults.
plugins: ['@lume/dht-flood', '@lume/dht-cache', '@lume/blobs']
announce: false
`

/** Resolves with the first stdout line matching `pattern`; rejects if the process exits first. */
async function lineOf (child: ChildProcess, pattern: RegExp, stderr: () => string): Promise<RegExpExecArray> {
  return await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr()}`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = pattern.exec(line)
      if (match !== null) resolve(match)
    })
  })
}

async function stop (child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

describe('the gateway with blobs on Lume relays as its upstream (three lume-relay processes, real curl)', () => {
  let testnet: Testnet
  let dir: string
  const relays: ChildProcess[] = []
  const keys: Uint8Array[] = []
  let pool: RelayPool
  let gateway: Server
  let url: string
  const content = new Uint8Array(randomBytes(3 * 1024 * 1024 + 12_345))
  let plain: { hash: Uint8Array }
  let secret: { hash: Uint8Array, key: Uint8Array }

  beforeAll(async () => {
    testnet = await createTestnet()
    dir = await mkdtemp(join(tmpdir(), 'lume-gateway-relays-'))
    const bootstrap = formatAddresses(testnet.bootstrap).join(',')
    for (let i = 0; i < 3; i++) {
      const relayDir = join(dir, `relay-${i}`)
      // An operator's relay directory: its config and the plugins installed beside it.
      await mkdir(join(relayDir, 'node_modules', '@lume'), { recursive: true })
      await writeFile(join(relayDir, 'relay.yaml'), CONFIG)
      for (const name of PLUGINS) await symlink(packageDir(name), join(relayDir, 'node_modules', name), 'dir')
      let stderr = ''
      const child = spawn(process.execPath, [relayCli, 'start', '--dir', relayDir, `--dht.bootstrap=${bootstrap}`, '--log.level=warn'], { stdio: ['ignore', 'pipe', 'pipe'], env })
      child.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
      relays.push(child)
      keys.push(fromHex((await lineOf(child, /listening as ([0-9a-f]{64})/, () => stderr))[1]!, 32))
    }
    pool = new RelayPool({ dialer: testnet.createNode(), relays: keys, callTimeoutMs: 30_000 })
    const client = new BlobClient({ pool, relays: keys })
    const owner = generateKeyPair()
    plain = await client.put(content, { keyPair: owner })
    const sealed = await client.put(content, { keyPair: owner, encrypt: true })
    secret = { hash: sealed.hash, key: sealed.key! }
    gateway = createGateway({ source: lumeSource(client) })
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`
  }, 120_000)

  afterAll(async () => {
    gateway?.close()
    gateway?.closeAllConnections()
    await pool?.close()
    await Promise.all(relays.map(stop))
    await testnet?.close()
    await rm(dir, { recursive: true, force: true })
  }, 60_000)

  it('curl gets the whole blob and byte ranges, verified, from the relays that hold it', async () => {
    const out = join(dir, 'whole.bin')
    const whole = await curl(['-o', out, `${url}/blake3/${toHex(plain.hash)}`])
    expect(whole.code, whole.stderr).toBe(0)
    expect(Buffer.from(await readFile(out)).equals(Buffer.from(content))).toBe(true)

    for (const [a, b] of [[0, 0], [16_383, 16_384], [1_000_000, 2_345_678], [content.length - 10, content.length - 1]] as const) {
      const part = join(dir, `part-${a}.bin`)
      const ranged = await curl(['-r', `${a}-${b}`, '-o', part, `${url}/blake3/${toHex(plain.hash)}`])
      expect(ranged.code, ranged.stderr).toBe(0)
      expect(Buffer.from(await readFile(part)).equals(Buffer.from(content.subarray(a, b + 1))), `${a}-${b}`).toBe(true)
    }
  })

  it('an encrypted blob is served decrypted with ?key=, refused with a wrong key, and as ciphertext without one', async () => {
    const out = join(dir, 'secret.bin')
    const ok = await curl(['-r', '100000-299999', '-o', out, `${url}/blake3/${toHex(secret.hash)}?key=${toHex(secret.key)}`])
    expect(ok.code, ok.stderr).toBe(0)
    expect(Buffer.from(await readFile(out)).equals(Buffer.from(content.subarray(100_000, 300_000)))).toBe(true)

    const wrongKey = new Uint8Array(32).fill(7)
    const wrong = await fetch(`${url}/blake3/${toHex(secret.hash)}?key=${toHex(wrongKey)}`)
    expect(wrong.status).toBe(403)
    expect(await wrong.text()).toMatch(/DECRYPTION_FAILED/)

    // Without the key the relays' bytes are what they are: ciphertext, verified against the hash.
    const raw = new Uint8Array(await (await fetch(`${url}/blake3/${toHex(secret.hash)}`)).arrayBuffer())
    expect(raw.byteLength).toBeGreaterThan(content.byteLength)
    expect(Buffer.from(raw).includes(Buffer.from(content.subarray(0, 64)))).toBe(false)
  })

  it('a hash no relay holds is 404, a malformed key 404 (not a path the gateway serves)', async () => {
    expect((await fetch(`${url}/blake3/${'ab'.repeat(32)}`)).status).toBe(404)
    expect((await fetch(`${url}/blake3/${toHex(plain.hash)}?key=xyz`)).status).toBe(404)
  })

  it('lume-gateway serve --relays, as the README says, serves the blob to curl', async () => {
    let stderr = ''
    const child = spawn(process.execPath, [gatewayCli, 'serve', '--relays', keys.map(toHex).join(','), '--bootstrap', formatAddresses(testnet.bootstrap).join(','), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env })
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
    try {
      const [, address] = await lineOf(child, /listening on (http:\/\/\S+)/, () => stderr)
      const out = join(dir, 'cli.bin')
      const got = await curl(['-o', out, `${address}/blake3/${toHex(plain.hash)}`])
      expect(got.code, got.stderr + stderr).toBe(0)
      expect(Buffer.from(await readFile(out)).equals(Buffer.from(content))).toBe(true)
    } finally {
      await stop(child)
    }
  }, 60_000)
})
