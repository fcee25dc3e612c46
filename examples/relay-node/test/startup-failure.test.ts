import { spawn } from 'node:child_process'
import { createSocket, type Socket } from 'node:dgram'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '@lume/cfg'
import { createTestnet, formatAddresses, type Testnet } from '@lume/testnet'
import { ErrorCode, generateKeyPair } from '@lume/types'
import { nodeConfigSchema, startRelayNode } from '../src/index.js'

const configFile = fileURLToPath(new URL('../relay.config.yaml', import.meta.url))

describe('relay node: a failed start releases everything and exits non-zero (issue 12)', () => {
  let testnet: Testnet
  let dir: string
  let taken: Socket
  let port: number
  let flags: string[]
  beforeAll(async () => {
    testnet = await createTestnet()
    dir = await mkdtemp(join(tmpdir(), 'lume-relay-node-fail-'))
    taken = createSocket('udp4')
    await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve))
    port = taken.address().port
    flags = [`--dir=${dir}`, `--dht.bootstrap=${formatAddresses(testnet.bootstrap).join(',')}`, `--dht.port=${port}`, '--http.port=0', '--log.level=silent']
  })
  afterAll(async () => {
    taken?.close()
    await testnet?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('rejects with the cause, and a later start on a free port works', async () => {
    const cfg = await loadConfig({ schema: nodeConfigSchema, userFile: configFile, dir: join(configFile, '..'), env: {}, argv: flags })
    await expect(startRelayNode(cfg.value, generateKeyPair())).rejects.toMatchObject({ code: ErrorCode.CONNECTION_FAILED })
    const again = await startRelayNode({ ...cfg.value, dht: { ...cfg.value.dht, port: 0 } }, generateKeyPair())
    await again.close()
  }, 30_000)

  // The process exits on its own only if the discovery DHT node, the store and the relay were all closed;
  // otherwise its fallback exit adds a second line ("something still held the process").
  it('lume-relay-node exits non-zero with one line, nothing left holding it', async () => {
    const main = fileURLToPath(new URL('../src/main.ts', import.meta.url))
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
    const child = spawn(process.execPath, ['--conditions=lume-source', '--import', tsx, main, configFile, ...flags], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(1)
    expect(stderr.trim()).toBe(`lume-relay-node: CONNECTION_FAILED: UDP port ${port} is in use (set dht.port to a free port, or 0 for any)`)
  }, 30_000)
})
