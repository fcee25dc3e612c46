import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, formatAddresses, type Testnet } from '@lume/testnet'

describe('the default logger (issue 12)', () => {
  let testnet: Testnet
  beforeAll(async () => { testnet = await createTestnet() })
  afterAll(async () => { await testnet?.close() })

  it('puts a plugin that fails to start on stderr, by name and reason', async () => {
    const script = fileURLToPath(new URL('./fixtures/default-logger-relay.ts', import.meta.url))
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
    const child = spawn(process.execPath, ['--conditions=lume-source', '--import', tsx, script, formatAddresses(testnet.bootstrap)[0]!], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(0)
    expect(stderr).toBe('lume-relay error: [broken] plugin broken failed to start; the relay continues without it: plugin bug\n')
  }, 30_000)
})
