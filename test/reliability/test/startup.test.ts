import { createSocket, type Socket } from 'node:dgram'
import { createServer, type Server } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
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
  let udp: Socket
  const taken = { websocket: 0, dht: 0 }

  beforeAll(async () => {
    testnet = await createTestnet()
    dir = await mkdtemp(join(tmpdir(), 'lume-reliability-'))
    tcp = createServer()
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve))
    taken.websocket = (tcp.address() as { port: number }).port
    udp = createSocket('udp4')
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve))
    taken.dht = udp.address().port
  })
  afterAll(async () => {
    tcp?.close()
    udp?.close()
    await testnet?.close()
    await rm(dir, { recursive: true, force: true })
  })

  for (const which of ['websocket', 'dht'] as const) {
    it(`exits non-zero with one clear line when its ${which} port is in use`, async () => {
      const ports = { websocket: '--websocket.port=0', dht: '--dht.port=0' }
      ports[which] = `--${which}.port=${taken[which]}`
      const { child, exited, stderrTail } = spawnRelay(PRODUCTION_CONFIG, [
        `--dir=${join(dir, which)}`, `--dht.bootstrap=${formatAddresses(testnet.bootstrap).join(',')}`, '--dht.host=127.0.0.1',
        '--websocket.host=127.0.0.1', ports.websocket, ports.dht, '--log.level=warn',
        // A free HTTP port: relay.yaml's 9100 taken by another relay would pass this test for the wrong port.
        '--http.port=0'
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
      expect(stderrTail.join('\n')).toMatch(/lume-relay( start)?: .*(in use|EADDRINUSE)/i)
      expect(stderrTail.join('\n')).not.toMatch(/^\s+at /m)
    }, EXIT_BOUND_MS + 10_000)
  }
})
