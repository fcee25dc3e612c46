import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { RegistryClient } from '@lume/registry'
import { RpcConnection } from '@lume/rpc'
import { generateKeyPair } from '@lume/crypto'
import { Arena } from '../src/arena.js'

/** Longer than every default call and idle timeout of a connection (10 s call, 15 s idle is kept off by keep-alives). */
const QUIET_MS = 16_000

describe('an idle subscription (issue 11)', () => {
  let arena: Arena | null = null
  afterAll(async () => { await arena?.close() })

  it(`still delivers an update after ${QUIET_MS / 1000} s without any`, async () => {
    arena = await Arena.open()
    const subscriber = RpcConnection.open(arena.honest.connect(Buffer.from(arena.relayKey)))
    const writer = RpcConnection.open(arena.honest.connect(Buffer.from(arena.relayKey)))
    try {
      const owner = generateKeyPair()
      await new RegistryClient(writer).set(owner, new TextEncoder().encode('first'))
      const updates = new RegistryClient(subscriber).subscribe(owner.publicKey)[Symbol.asyncIterator]()
      expect((await updates.next()).value?.revision).toBeGreaterThanOrEqual(0)
      const next = updates.next().then((r) => r, (err: Error) => err)
      // The time is the subject here (a quiet key), not a speed bound.
      await sleep(QUIET_MS)
      const written = await new RegistryClient(writer).set(owner, new TextEncoder().encode('second'))
      const got = await next
      if (got instanceof Error) console.log(`[reliability] idle subscription died: ${got.message}`)
      expect(got).not.toBeInstanceOf(Error)
      expect((got as IteratorResult<{ revision: number }>).value?.revision).toBe(written.revision)
      await updates.return?.(undefined)
    } finally {
      subscriber.destroy()
      writer.destroy()
    }
  }, QUIET_MS + 30_000)
})
