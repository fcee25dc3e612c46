import type HyperDHT from 'hyperdht'
import { RegistryMethods, registryKey, serializeEntry, signEntry } from '@lume/registry'
import { RpcConnection } from '@lume/rpc'
import { generateKeyPair, type KeyPair } from '@lume/types'

/**
 * What an honest user does, timed: connect to the relay afresh, write an
 * entry of its own (revision 1, fresh key by default) and read it back.
 * Returns the milliseconds it took.
 */
export async function honestRoundTrip (dht: HyperDHT, relayKey: Uint8Array, timeoutMs = 10_000, keyPair: KeyPair = generateKeyPair()): Promise<number> {
  const started = performance.now()
  const conn = RpcConnection.open(dht.connect(Buffer.from(relayKey)))
  try {
    const entry = signEntry(keyPair, 1, new TextEncoder().encode('honest'))
    const set = await conn.call(RegistryMethods.set, serializeEntry(entry), { timeoutMs })
    if (set.status !== 'stored') throw new Error(`honest write not stored: ${set.status}`)
    const got = await conn.call(RegistryMethods.get, registryKey(keyPair.publicKey), { timeoutMs })
    if (got === null) throw new Error('honest read found nothing')
    return performance.now() - started
  } finally {
    conn.destroy()
  }
}
