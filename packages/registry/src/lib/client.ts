import { equalBytes, ErrorCode, LumeError, toHex } from '@lume/types'
import { type KeyPair } from '@lume/crypto'
import type { CallOptions, RpcConnection } from '@lume/rpc'
import { compareEntries, DEFAULT_MAX_DATA, MAX_REVISION, parseEntry, registryKey, serializeEntry, signEntry, type RegistryEntry } from './entry.js'
import { RegistryMethods } from './methods.js'

/** Options of {@link RegistryClient.subscribe}. */
export interface SubscribeOptions {
  /** Send only entries with a revision above this. @default -1 (the current entry, then every newer one) */
  since?: number
  /** Unsubscribe when this aborts (the generator then throws `ABORTED`). */
  signal?: AbortSignal
  /** Resubscriptions in a row, with no new entry, before giving up. @default 3 */
  maxResumes?: number
  /** Told each time the subscription is resumed: why, and the revision it resumes after. */
  onResume?: (reason: Error, revision: number) => void
}

/**
 * The registry client, over an RPC connection to a relay (Node or browser).
 * Every entry it returns was verified here: the relay is not trusted.
 */
export class RegistryClient {
  constructor (private readonly connection: RpcConnection, private readonly options: {
    /** Largest entry data, in bytes: writes over it are refused (default 64), reads accept up to it (default 255, the format's maximum). */
    maxData?: number
  } = {}) {}

  /** The newest entry the relay has for a public key (32 bytes) or S5 key (33 bytes), or null. */
  async get (key: Uint8Array, options: CallOptions = {}): Promise<RegistryEntry | null> {
    const bytes = await this.connection.call(RegistryMethods.get, toPk(key), options)
    if (bytes === null) return null
    const entry = this.parse(bytes)
    if (!equalBytes(entry.pk, toPk(key))) throw LumeError.badFrame('the relay answered with an entry for another key')
    return entry
  }

  /**
   * Write `data` under `keyPair`: reads the current revision and writes the
   * next one; when another write wins the race, retries above it.
   */
  async set (keyPair: KeyPair, data: Uint8Array, options: CallOptions & {
    /** Tries again this many times when another writer won the revision race. @default 5 */
    retries?: number
  } = {}): Promise<RegistryEntry> {
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
   * its revision is above `since`), then each entry that beats the last one
   * (a higher revision, or the winner of an equal-revision conflict).
   *
   * An idle subscription stays open. When its stream fails while the
   * connection lives (a pull timed out, or the relay dropped the stream) the
   * client subscribes again from the last entry and tells `onResume`; after
   * `maxResumes` failures in a row with no new entry (timeouts of an idle
   * stream excepted), or when the connection is gone, it throws a `LumeError`
   * that names the key and the last revision. Leave the loop (or abort
   * `signal`) to unsubscribe.
   */
  async * subscribe (key: Uint8Array, options: SubscribeOptions = {}): AsyncGenerator<RegistryEntry> {
    const pk = toPk(key)
    const since = options.since ?? -1
    let last: RegistryEntry | null = null
    let failures = 0
    for (;;) {
      let failure: unknown
      try {
        // Resuming asks from one revision below the last entry, so an equal-revision winner is not missed.
        const request = { pk, since: last === null ? since : last.revision - 1 }
        const stream = this.connection.callStream(RegistryMethods.subscribe, request, { prefetch: 1, ...(options.signal === undefined ? {} : { signal: options.signal }) })
        for await (const bytes of abortable(stream, options.signal)) {
          const entry = this.parse(bytes)
          if (!equalBytes(entry.pk, pk)) throw LumeError.badFrame('the relay sent an entry for another key')
          if (last === null ? entry.revision <= since : compareEntries(entry, last) <= 0) continue
          last = entry
          failures = 0 // news, not a repeat: a relay cannot keep us resubscribing by re-sending one entry
          yield entry
        }
        failure = new LumeError(ErrorCode.CLOSED, 'the relay ended the subscription')
      } catch (err) {
        failure = err
      }
      const code = LumeError.isInstance(failure) ? failure.code : ErrorCode.REMOTE_ERROR
      const live = !this.connection.closed && options.signal?.aborted !== true
      // A pull that timed out on an idle stream is no failure of the relay: it had nothing to send.
      if (code !== ErrorCode.TIMEOUT) failures++
      if (!live || !RESUMABLE.has(code) || failures > (options.maxResumes ?? 3)) {
        const where = last === null ? `before any entry (since ${since})` : `after revision ${last.revision}`
        const message = failure instanceof Error ? failure.message : String(failure)
        throw new LumeError(code, `registry subscription to ${toHex(pk.subarray(1, 7))}… lost ${where}: ${message}`, { cause: failure })
      }
      options.onResume?.(failure instanceof Error ? failure : new Error(String(failure)), last?.revision ?? since)
    }
  }

  private parse (bytes: Uint8Array): RegistryEntry {
    return parseEntry(bytes, this.options.maxData ?? 255)
  }
}

/** Stream faults worth subscribing again for; anything else (a closed connection, a limit, a bad frame) is thrown. */
const RESUMABLE = new Set<string>([ErrorCode.TIMEOUT, ErrorCode.NOT_FOUND, ErrorCode.CLOSED, ErrorCode.ABORTED])

/**
 * The stream's items until `signal` aborts: a pending pull is left behind
 * (the stream is then closed behind it) instead of holding the caller.
 */
async function * abortable<T> (stream: AsyncGenerator<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  if (signal === undefined) { yield * stream; return }
  let onAbort: () => void = () => {}
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(LumeError.aborted('registry subscription', signal.reason))
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  })
  aborted.catch(() => {})
  try {
    for (;;) {
      const next = await Promise.race([stream.next(), aborted])
      if (next.done === true) return
      yield next.value
    }
  } finally {
    signal.removeEventListener('abort', onAbort)
    void stream.return(undefined).catch(() => {})
  }
}

function toPk (key: Uint8Array): Uint8Array {
  if (key.byteLength === 33) return key
  return registryKey(key)
}
