import type { DiscoverySource } from './discovery.js'
import { encodeRecord, type SignedPeerRecord } from './record.js'

/** The part of a HyperDHT node the DHT source uses (a Node node, or a browser's relayed DHT that offers it). */
export interface MutableStore {
  mutableGet (publicKey: Uint8Array, options?: { latest?: boolean }): Promise<{ value: Uint8Array, seq: number } | null>
  mutablePut (keyPair: { publicKey: Uint8Array, secretKey: Uint8Array }, value: Uint8Array, options?: { seq?: number }): Promise<unknown>
}

/**
 * Records stored on the HyperDHT itself, as a mutable value under the
 * relay's key (hyperdht verifies its own signature; ours is checked on top).
 */
export class DhtSource implements DiscoverySource {
  constructor (private readonly dht: MutableStore) {}

  async find (publicKey: Uint8Array): Promise<Uint8Array | null> {
    const found = await this.dht.mutableGet(publicKey, { latest: true })
    return found === null ? null : new Uint8Array(found.value)
  }
}

/**
 * Put a relay's record on the DHT (the sequence is the record's time in
 * seconds, so a newer record replaces an older one). Re-put it before the
 * DHT forgets it (hyperdht keeps mutable values for about 20 minutes).
 */
export async function putRecordOnDht (dht: MutableStore, keyPair: { publicKey: Uint8Array, secretKey: Uint8Array }, record: SignedPeerRecord): Promise<void> {
  await dht.mutablePut(keyPair, encodeRecord(record), { seq: Math.floor(record.timestamp / 1000) })
}
