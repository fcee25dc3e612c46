import { ErrorCode, LumeError, type KeyPair } from '@lume/types'
import type { CallOptions, RpcConnection } from '@lume/rpc'
import { DEFAULT_MAX_DATA, MAX_REVISION, parseEntry, registryKey, serializeEntry, signEntry, type RegistryEntry } from './entry.js'
import { RegistryMethods } from './methods.js'

/**
 * The registry client, over an RPC connection to a relay (Node or browser).
 * Every entry it returns was verified here: the relay is not trusted.
 */
export class RegistryClient {
  constructor (private readonly connection: RpcConnection, private readonly options: { maxData?: number } = {}) {}

  /** The newest entry the relay has for a public key (32 bytes) or S5 key (33 bytes), or null. */
  async get (key: Uint8Array, options: CallOptions = {}): Promise<RegistryEntry | null> {
    const bytes = await this.connection.call(RegistryMethods.get, toPk(key), options)
    if (bytes === null) return null
    const entry = this.parse(bytes)
    if (!sameKey(entry.pk, toPk(key))) throw LumeError.badFrame('the relay answered with an entry for another key')
    return entry
  }

  /**
   * Write `data` under `keyPair`: reads the current revision and writes the
   * next one; when another write wins the race, retries above it.
   */
  async set (keyPair: KeyPair, data: Uint8Array, options: CallOptions & { retries?: number } = {}): Promise<RegistryEntry> {
    let current = await this.get(keyPair.publicKey, options)
    for (let attempt = 0; attempt <= (options.retries ?? 5); attempt++) {
      const revision = (current?.revision ?? -1) + 1
      if (revision > MAX_REVISION) throw LumeError.invalidArgument('revision would exceed 2^48')
      const entry = signEntry(keyPair, revision, data, this.options.maxData ?? DEFAULT_MAX_DATA)
      const answer = await this.connection.call(RegistryMethods.set, serializeEntry(entry), options)
      if (answer.status !== 'stale') return entry
      current = this.parse(answer.entry)
    }
    throw new LumeError(ErrorCode.STALE_REVISION, 'another writer kept winning; gave up')
  }

  /** Ask the relay to keep this key's entries. */
  async pin (key: Uint8Array, options: CallOptions = {}): Promise<void> {
    await this.connection.call(RegistryMethods.pin, toPk(key), options)
  }

  /**
   * Every newer entry for a key, as it is stored: first the current one (if
   * newer than `since`). Leave the loop to unsubscribe.
   */
  async * subscribe (key: Uint8Array, options: { since?: number } = {}): AsyncGenerator<RegistryEntry> {
    const pk = toPk(key)
    let last = options.since ?? -1
    for await (const bytes of this.connection.callStream(RegistryMethods.subscribe, { pk, since: last }, { prefetch: 1 })) {
      const entry = this.parse(bytes)
      if (!sameKey(entry.pk, pk) || entry.revision <= last) continue
      last = entry.revision
      yield entry
    }
  }

  private parse (bytes: Uint8Array): RegistryEntry {
    return parseEntry(bytes, this.options.maxData ?? 255)
  }
}

function toPk (key: Uint8Array): Uint8Array {
  if (key.byteLength === 33) return key
  return registryKey(key)
}

function sameKey (a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((v, i) => v === b[i])
}
