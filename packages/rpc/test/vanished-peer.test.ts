import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, formatAddresses, type Testnet } from '@lume/testnet'
import { ErrorCode, jsonCodec } from '@lume/types'
import { RpcConnection } from '../src/index.js'

// protomux-rpc on its own notices a killed peer only after 13-18 s. With
// keep-alive and an idle timeout, a call to a vanished peer fails in about
// idleTimeoutMs instead.
describe('a peer that vanishes (SIGKILL)', () => {
  let testnet: Testnet
  beforeAll(async () => { testnet = await createTestnet() })
  afterAll(async () => { await testnet?.close() })

  it('fails calls in flight within the idle timeout, not after 13-18 s', async () => {
    const script = fileURLToPath(new URL('./fixtures/server.ts', import.meta.url))
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
    const child = spawn(process.execPath, ['--conditions=lume-source', '--import', tsx, script, formatAddresses(testnet.bootstrap).join(',')], { stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      const key = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve))
      const socket = testnet.createNode().connect(Buffer.from(key, 'hex'))
      const conn = RpcConnection.open(socket, { limits: { keepAliveMs: 500, idleTimeoutMs: 2000, callTimeoutMs: 60_000 } })
      const spec = { name: 'test.echo', request: jsonCodec, response: jsonCodec }
      expect(await conn.call(spec, 'up')).toBe('up')
      const pending = conn.call({ ...spec, name: 'test.hang' }, null).catch((e: { code: string }) => e.code)
      await new Promise((resolve) => setTimeout(resolve, 100))
      const killedAt = performance.now()
      child.kill('SIGKILL')
      expect(await pending).toBe(ErrorCode.CONNECTION_FAILED)
      const noticedAfter = performance.now() - killedAt
      expect(noticedAfter).toBeLessThan(8000)
      expect(conn.closed).toBe(true)
    } finally {
      child.kill('SIGKILL')
    }
  }, 30_000)
})
