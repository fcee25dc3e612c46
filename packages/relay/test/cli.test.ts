import { createSocket } from 'node:dgram'
import { mkdtemp, rm, stat, writeFile, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { finish, run } from './helpers/cli.js'
import { createTestnet, formatAddresses, type Testnet } from '@lume/testnet'
import { toHex } from '@lume/types'
import { isValidMnemonic, keyPairFromMnemonic } from '@lume/crypto'

describe('lume-relay CLI', () => {
  let testnet: Testnet
  let dir: string
  let bootstrap: string
  beforeAll(async () => {
    testnet = await createTestnet()
    bootstrap = formatAddresses(testnet.bootstrap).join(',')
    dir = await mkdtemp(join(tmpdir(), 'lume-relay-cli-'))
  })
  afterAll(async () => {
    await testnet?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('keygen prints a valid mnemonic and its key', async () => {
    const { code, stdout } = await finish(run(['keygen']))
    expect(code).toBe(0)
    const mnemonic = /mnemonic: +(.+)/.exec(stdout)![1]!
    expect(isValidMnemonic(mnemonic)).toBe(true)
    expect(stdout).toContain(toHex(keyPairFromMnemonic(mnemonic).publicKey))
  })

  it('start creates a 0600 identity, loads plugins by path, answers ping from a second process, and stops on SIGTERM', async () => {
    const relayDir = join(dir, 'relay')
    const plugin = fileURLToPath(new URL('./fixtures/hello-plugin.ts', import.meta.url))
    await rm(relayDir, { recursive: true, force: true })
    const { mkdir } = await import('node:fs/promises')
    await mkdir(relayDir, { recursive: true })
    await writeFile(join(relayDir, 'config.yaml'), `plugins:\n  - ${plugin}\nplugin:\n  hello:\n    greeting: hey\n`)
    const relay = run(['start', '--dir', relayDir, `--dht.bootstrap=${bootstrap}`, '--announce=false'], { LUME_LOG__LEVEL: 'warn' })
    const output = finish(relay)
    try {
      const lines = createInterface({ input: relay.stdout! })
      const key = await new Promise<string>((resolve, reject) => {
        lines.on('line', (line) => { const m = /listening as ([0-9a-f]{64})/.exec(line); if (m !== null) resolve(m[1]!) })
        relay.once('exit', (code) => reject(new Error(`relay exited early with ${code}`)))
      })
      const mode = (await stat(join(relayDir, 'identity'))).mode & 0o777
      expect(mode).toBe(0o600)
      expect(toHex(keyPairFromMnemonic(await readFile(join(relayDir, 'identity'), 'utf8')).publicKey)).toBe(key)

      const pinged = await finish(run(['ping', key, `--dht.bootstrap=${bootstrap}`, '--count=2']))
      expect(pinged.stderr).toBe('')
      expect(pinged.code).toBe(0)
      expect(pinged.stdout).toMatch(/core\.ping: [\d.]+ ms/)
      expect(pinged.stdout).toContain('plugins [hello]')
      expect(pinged.stdout).toContain('hello.greet')

      const info = await finish(run(['info', '--dir', relayDir]))
      expect(info.stdout).toContain(`public key: ${key}`)
      expect(info.stdout).toMatch(/plugins = .*\(file .*config\.yaml\)/)
    } finally {
      relay.kill('SIGTERM')
    }
    const { code, stdout } = await output
    expect(code).toBe(0)
    expect(stdout).toContain('stopped')
  }, 60_000)

  it('start exits non-zero with one clear line when its UDP port is in use', async () => {
    const taken = createSocket('udp4')
    await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve))
    try {
      const port = taken.address().port
      const { code, stderr, stdout } = await finish(run(['start', '--dir', join(dir, 'port'), `--dht.bootstrap=${bootstrap}`, `--dht.port=${port}`, '--announce=false'], { LUME_LOG__LEVEL: 'silent' }))
      expect(code).toBe(1)
      expect(stderr.trim()).toBe(`lume-relay start: CONNECTION_FAILED: UDP port ${port} is in use (set dht.port to a free port, or 0 for any)`)
      expect(stdout).not.toContain('listening as')
    } finally {
      taken.close()
    }
  }, 30_000)

  it('start exits non-zero with one clear line when a plugin cannot be loaded or fails to start', async () => {
    const missing = await finish(run(['start', '--dir', join(dir, 'missing'), `--dht.bootstrap=${bootstrap}`, '--plugins=./missing-plugin.js', '--announce=false'], { LUME_LOG__LEVEL: 'silent' }))
    expect(missing.code).toBe(1)
    expect(missing.stderr.trim()).toMatch(/^lume-relay start: PLUGIN_FAILED: plugin \.\/missing-plugin\.js could not be loaded: [^\n]+$/)
    const broken = fileURLToPath(new URL('./fixtures/broken-plugin.ts', import.meta.url))
    const failed = await finish(run(['start', '--dir', join(dir, 'broken'), `--dht.bootstrap=${bootstrap}`, `--plugins=${broken}`, '--announce=false'], { LUME_LOG__LEVEL: 'silent' }))
    expect(failed.code).toBe(1)
    expect(failed.stderr.trim()).toBe('lume-relay start: PLUGIN_FAILED: plugin broken failed to start')
  }, 30_000)

  it('optionalPlugins: a listed plugin that fails to load or start is reported and left out; the relay runs with the rest', async () => {
    const relayDir = join(dir, 'optional')
    const { mkdir } = await import('node:fs/promises')
    await mkdir(relayDir, { recursive: true })
    const hello = fileURLToPath(new URL('./fixtures/hello-plugin.ts', import.meta.url))
    const broken = fileURLToPath(new URL('./fixtures/broken-plugin.ts', import.meta.url))
    await writeFile(join(relayDir, 'config.yaml'), `plugins: [${JSON.stringify(hello)}, ${JSON.stringify(broken)}, ./missing-plugin.js]\noptionalPlugins: [${JSON.stringify(broken)}, ./missing-plugin.js]\n`)
    const relay = run(['start', '--dir', relayDir, `--dht.bootstrap=${bootstrap}`, '--announce=false'], { LUME_LOG__LEVEL: 'warn' })
    const output = finish(relay)
    let stderr = ''
    relay.stderr!.on('data', (d: Buffer) => { stderr += d.toString() })
    try {
      const key = await new Promise<string>((resolve, reject) => {
        createInterface({ input: relay.stdout! }).on('line', (line) => { const m = /listening as ([0-9a-f]{64})/.exec(line); if (m !== null) resolve(m[1]!) })
        relay.once('exit', (code) => reject(new Error(`relay exited early with ${code}: ${stderr}`)))
      })
      // Loud: both failures on stderr, by name.
      expect(stderr).toMatch(/missing-plugin\.js could not be loaded/)
      expect(stderr).toMatch(/broken/)
      const pinged = await finish(run(['ping', key, `--dht.bootstrap=${bootstrap}`, '--count=1']))
      expect(pinged.code).toBe(0)
      expect(pinged.stdout).toContain('plugins [hello]')
    } finally {
      relay.kill('SIGTERM')
      await output
    }
    // Listing a plugin as optional that is not among the plugins is a configuration mistake.
    const wrong = await finish(run(['start', '--dir', join(dir, 'optional-wrong'), `--dht.bootstrap=${bootstrap}`, `--plugins=${hello}`, '--optionalPlugins=./elsewhere.js'], { LUME_LOG__LEVEL: 'silent' }))
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('optionalPlugins: ./elsewhere.js is not in plugins')
  }, 60_000)

  it('refuses invalid configuration, naming the key and where it came from', async () => {
    const { code, stderr } = await finish(run(['start', '--dir', join(dir, 'bad'), '--dht.port=99999']))
    expect(code).toBe(2)
    expect(stderr).toContain('CONFIG_INVALID')
    expect(stderr).toMatch(/dht\.port: .*\(from flag --dht\.port\)/)
  })

  it('ping of a relay that is not there fails with a clear error, not a hang', async () => {
    const { code, stderr } = await finish(run(['ping', '11'.repeat(32), `--dht.bootstrap=${bootstrap}`]))
    expect(code).toBe(1)
    expect(stderr).toMatch(/lume-relay ping: (CONNECTION_FAILED|TIMEOUT)/)
  }, 30_000)
})
