import { createServer, type Server } from 'node:http'
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, formatAddresses, type Testnet } from '@lume/testnet'
import { PRODUCTION_CONFIG, spawnRelay } from '../src/relay-process.js'

/** How long a relay that cannot start may take to say so and exit. */
const EXIT_BOUND_MS = 20_000

describe('start-up failure (issue 12)', () => {
  let testnet: Testnet
  let dir: string
  let tcp: Server
  let tcpPort: number

  beforeAll(async () => {
    testnet = await createTestnet()
    dir = await mkdtemp(join(tmpdir(), 'lume-reliability-'))
    await copyFile(PRODUCTION_CONFIG, join(dir, 'relay.config.yaml'))
    tcp = createServer()
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve))
    tcpPort = (tcp.address() as { port: number }).port
  })
  afterAll(async () => {
    tcp?.close()
    await testnet?.close()
    await rm(dir, { recursive: true, force: true })
  })

  // (A DHT port in use is not a failure: dht-rpc tries the next five ports, then any, by design.)
  for (const which of ['http', 'websocket'] as const) {
    it(`exits non-zero with a message when its ${which} port is in use`, async () => {
      const ports = { http: '--http.port=0', websocket: '--websocket.port=0' }
      ports[which] = `--${which}.port=${tcpPort}`
      const { child, exited, stderrTail } = spawnRelay(join(dir, 'relay.config.yaml'), [
        `--dir=${join(dir, which)}`, `--dht.bootstrap=${formatAddresses(testnet.bootstrap).join(',')}`, '--dht.host=127.0.0.1',
        '--dht.port=0', '--websocket.host=127.0.0.1', ports.http, ports.websocket, '--log.level=warn'
      ])
      let timer: ReturnType<typeof setTimeout> | undefined
      const code = await Promise.race([exited, new Promise<string>((resolve) => { timer = setTimeout(() => resolve('still running'), EXIT_BOUND_MS) })])
      clearTimeout(timer)
      if (code === 'still running') {
        child.kill('SIGKILL')
        await exited
      }
      console.log(`[reliability] ${which} port in use: ${code === 'still running' ? `still running after ${EXIT_BOUND_MS} ms` : `exit code ${String(code)}`}; last stderr: ${stderrTail.slice(-1).join('')}`)
      expect(code).not.toBe('still running')
      expect(code).not.toBe(0)
      // An operator's message, not a crash's stack trace.
      expect(stderrTail.join('\n')).toMatch(/lume-relay-node: .*(in use|EADDRINUSE)/i)
    }, EXIT_BOUND_MS + 10_000)
  }
})
