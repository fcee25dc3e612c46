import type HyperDHT from 'hyperdht'
import { RegistryMethods, registryKey, serializeEntry, signEntry } from '@lume/registry'
import { RpcConnection } from '@lume/rpc'
import { ErrorCode, LumeError } from '@lume/types'
import { generateKeyPair, type KeyPair } from '@lume/crypto'

/**
 * What an honest user does, timed: connect to the relay afresh, write an
 * entry of its own (revision 1, fresh key by default) and read it back.
 * Like any client it backs off and tries again when told `RATE_LIMITED`
 * (on loopback it shares the attacker's address, whose write rate the
 * attack may just have spent), within `timeoutMs`. Returns the milliseconds
 * it took.
 */
export async function honestRoundTrip (dht: HyperDHT, relayKey: Uint8Array, timeoutMs = 10_000, keyPair: KeyPair = generateKeyPair()): Promise<number> {
  const started = performance.now()
  const conn = RpcConnection.open(dht.connect(Buffer.from(relayKey)))
  try {
    const entry = signEntry(keyPair, 1, new TextEncoder().encode('honest'))
    const set = await withBackoff(async () => await conn.call(RegistryMethods.set, serializeEntry(entry), { timeoutMs }), started + timeoutMs)
    if (set.status !== 'stored') throw new Error(`honest write not stored: ${set.status}`)
    const got = await conn.call(RegistryMethods.get, registryKey(keyPair.publicKey), { timeoutMs })
    if (got === null) throw new Error('honest read found nothing')
    return performance.now() - started
  } finally {
    conn.destroy()
  }
}

/** Run `call`, waiting and retrying while it is answered `RATE_LIMITED`, until `deadline` (performance.now()). */
async function withBackoff<T> (call: () => Promise<T>, deadline: number): Promise<T> {
  for (let wait = 25; ; wait = Math.min(wait * 2, 400)) {
    try {
      return await call()
    } catch (err) {
      if (!LumeError.hasCode(err, ErrorCode.RATE_LIMITED) || performance.now() + wait > deadline) throw err
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }
}
