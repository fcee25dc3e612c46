import { toHex } from '@lume/types'
import type { DiscoverySource } from './discovery.js'
import type { SignedPeerRecord } from './record.js'

/** Configured relays: records given up front (a private deployment, or what an invite carried). */
export class StaticSource implements DiscoverySource {
  private readonly records = new Map<string, SignedPeerRecord>()

  constructor (records: SignedPeerRecord[] = []) {
    for (const record of records) this.add(record)
  }

  /** Add or replace a record. */
  add (record: SignedPeerRecord): void {
    this.records.set(toHex(record.publicKey), record)
  }

  async find (publicKey: Uint8Array): Promise<SignedPeerRecord | null> {
    return this.records.get(toHex(publicKey)) ?? null
  }
}
