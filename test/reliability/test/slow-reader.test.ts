import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { formatAddresses } from '@lume/testnet'
import { toHex } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { Arena } from '../src/arena.js'
import { HostilePeer, nowSeq, signedPacket } from '../src/hostile-peer.js'
import { waitForLine } from '../src/relay-process.js'

const SLOW_READER = fileURLToPath(new URL('../src/slow-reader.ts', import.meta.url))

describe('slow readers', () => {
  let arena: Arena | null = null
  afterEach(async () => { await arena?.close(); arena = null })

  it('does not buffer without bound for a neighbour that stopped reading while others flood 60 KB packets', async () => {
    arena = await Arena.open()
    const reader = spawn(process.execPath, ['--conditions=lume-source', '--import', 'tsx', SLOW_READER, toHex(arena.relayKey), formatAddresses(arena.testnet.bootstrap).join(','), toHex(arena.knownKey)], { stdio: ['ignore', 'pipe', 'inherit'] })
    const exited = new Promise<number | null>((resolve) => reader.once('exit', resolve))
    try {
      const ready = await waitForLine(reader, /ready flood=(\w+) subscribed=(\d+)/, 30_000, exited)
      reader.kill('SIGSTOP')
      // Hostile relays send packets the relay forwards to every neighbour: the stopped reader among them.
      const senders = await Promise.all(Array.from({ length: 4 }, async () => await HostilePeer.connect(arena?.attacker as never, arena?.relayKey as Uint8Array, generateKeyPair(), { asRelay: true })))
      for (const sender of senders) {
        await sender.openFlood()
        await sender.admitted(arena.knownKey)
        const origin = generateKeyPair()
        for (let i = 0; i < 900; i++) {
          sender.sendPacket(signedPacket(origin, nowSeq(i), randomBytes(60 * 1024), 2))
          if (i % 50 === 0) await sender.drained()
        }
        await sender.barrier()
      }
      for (const sender of senders) await sender.destroy()
      const verdict = await arena.verdict(`slow reader (stopped process, flood=${ready[1]}, ${ready[2]} subscriptions) under 4 x 900 x 60 KB of flood`)
      expect(Arena.broken(verdict)).toEqual([])
    } finally {
      reader.kill('SIGKILL')
      await exited
    }
  }, 120_000)
})
