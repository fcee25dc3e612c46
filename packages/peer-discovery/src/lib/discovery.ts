import { ErrorCode, LumeError, toHex, type Closable } from '@lume/types'
import { decodeRecord, verifyRecord, type SignedPeerRecord } from './record.js'

/**
 * A place to look a relay up. `find` answers with the relay's signed record
 * (bytes or decoded), or null if it does not know the key; it should stop
 * when `signal` aborts.
 */
export interface DiscoverySource {
  find (publicKey: Uint8Array, signal: AbortSignal): Promise<SignedPeerRecord | Uint8Array | null>
  close? (): Promise<void> | void
}

/** Options for {@link PeerDiscovery}. */
export interface PeerDiscoveryInit {
  /** Records older than this are refused. @default 1 day */
  maxRecordAgeMs?: number
  /** How long a found record is reused without asking again. @default 5 min */
  cacheMs?: number
  /** Each source's time limit. @default 5000 */
  sourceTimeoutMs?: number
  /** Most records cached at once; the least recently used goes first. @default 1024 */
  maxCacheEntries?: number
}

/** A discovered relay: its verified record, and which source answered. */
export interface Discovered {
  record: SignedPeerRecord
  source: string
  /** True when it came from the cache. */
  cached: boolean
}

interface SourceEntry { source: DiscoverySource, score: number }

/**
 * Public key → signed record, from every registered source **in parallel**,
 * each with its own timeout: the first valid answer wins and the others are
 * cancelled. Answers are verified (signed by the key, fresh), cached, and
 * sources that fail are scored down (a source failing three times in a row
 * is skipped until another source's answer arrives without it, then tried again).
 */
export class PeerDiscovery implements Closable {
  private readonly sources = new Map<string, SourceEntry>()
  private readonly cache = new Map<string, { found: Discovered, until: number }>()
  private readonly options: Required<PeerDiscoveryInit>
  private closing: Promise<void> | null = null

  constructor (options: PeerDiscoveryInit = {}) {
    const maxCacheEntries = options.maxCacheEntries ?? 1024
    if (!Number.isSafeInteger(maxCacheEntries) || maxCacheEntries < 1) throw LumeError.invalidArgument(`maxCacheEntries must be a positive integer, got ${maxCacheEntries}`)
    this.options = { maxRecordAgeMs: options.maxRecordAgeMs ?? 24 * 3600_000, cacheMs: options.cacheMs ?? 5 * 60_000, sourceTimeoutMs: options.sourceTimeoutMs ?? 5000, maxCacheEntries }
  }

  /** How many records the cache holds now (at most `maxCacheEntries`). */
  get cacheSize (): number {
    return this.cache.size
  }

  /** Add a source under a name (replacing one of that name). */
  register (name: string, source: DiscoverySource): void {
    this.sources.set(name, { source, score: 0 })
  }

  /** Each source's score: +1 per useful answer, −1 per failure (reset to 0 by an answer). */
  scores (): Record<string, number> {
    return Object.fromEntries([...this.sources].map(([name, e]) => [name, e.score]))
  }

  /** Forget cached records. */
  clearCache (): void {
    this.cache.clear()
  }

  /**
   * Find where `publicKey` can be reached. Rejects with `NOT_FOUND` (details:
   * what each source said) when no source has a valid record, `TIMEOUT` when
   * `timeoutMs` passes first, `ABORTED` when `signal` aborts.
   */
  async discover (publicKey: Uint8Array, options: {
    /** Stops the lookup (rejects with ABORTED). */
    signal?: AbortSignal
    /** The whole lookup's deadline (TIMEOUT after it). @default none: each source has its own `sourceTimeoutMs` */
    timeoutMs?: number
  } = {}): Promise<Discovered> {
    const key = toHex(publicKey)
    const hit = this.cache.get(key)
    if (hit !== undefined) {
      // Re-inserted on a hit: Map order is then least recently used first.
      this.cache.delete(key)
      if (hit.until > Date.now()) {
        this.cache.set(key, hit)
        return { ...hit.found, cached: true }
      }
    }
    const entries = [...this.sources].filter(([, e]) => e.score > -3)
    const tried = entries.length > 0 ? entries : [...this.sources]
    if (tried.length === 0) throw new LumeError(ErrorCode.NOT_FOUND, 'no discovery sources registered')

    const race = new AbortController()
    const outer = options.signal
    const onOuterAbort = (): void => race.abort(outer?.reason)
    outer?.addEventListener('abort', onOuterAbort, { once: true })
    const failures: Record<string, string> = {}
    try {
      const found = await new Promise<Discovered>((resolve, reject) => {
        let left = tried.length
        const overall = options.timeoutMs === undefined ? null : setTimeout(() => reject(LumeError.timeout('discovery', options.timeoutMs as number)), options.timeoutMs)
        race.signal.addEventListener('abort', () => {
          if (overall !== null) clearTimeout(overall)
          if (outer?.aborted === true) reject(LumeError.aborted('discovery', outer.reason))
        }, { once: true })
        for (const [name, entry] of tried) {
          this.ask(name, entry, publicKey, race.signal).then((record) => {
            entry.score = Math.max(entry.score + 1, 0)
            if (overall !== null) clearTimeout(overall)
            resolve({ record, source: name, cached: false })
          }, (err: unknown) => {
            if (!race.signal.aborted) entry.score--
            failures[name] = LumeError.isInstance(err) ? `${err.code}: ${err.message}` : String(err)
            if (--left === 0) {
              if (overall !== null) clearTimeout(overall)
              reject(new LumeError(ErrorCode.NOT_FOUND, `no source found ${key.slice(0, 12)}…`, { details: { sources: failures } }))
            }
          })
        }
      })
      this.remember(key, found)
      return found
    } finally {
      outer?.removeEventListener('abort', onOuterAbort)
      race.abort() // cancel the sources still looking
    }
  }

  /** Close every source. Idempotent: every call returns the same promise. */
  close (): Promise<void> {
    // Memoised: each source is closed once, and every call settles when all are.
    this.closing ??= Promise.allSettled([...this.sources.values()].map(async (e) => await e.source.close?.())).then(() => {})
    return this.closing
  }

  // Bounded: from the least recently used end, drop expired records and
  // whatever is over the limit.
  private remember (key: string, found: Discovered): void {
    const now = Date.now()
    this.cache.delete(key)
    for (const [k, entry] of this.cache) {
      if (this.cache.size < this.options.maxCacheEntries && entry.until > now) break
      this.cache.delete(k)
    }
    this.cache.set(key, { found, until: now + this.options.cacheMs })
  }

  /** One source, with its own timeout; resolves only with a verified record. */
  private async ask (name: string, entry: SourceEntry, publicKey: Uint8Array, signal: AbortSignal): Promise<SignedPeerRecord> {
    const own = new AbortController()
    const stop = (): void => own.abort(signal.reason)
    signal.addEventListener('abort', stop, { once: true })
    const timeoutMs = this.options.sourceTimeoutMs
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      const answer = await Promise.race([
        entry.source.find(publicKey, own.signal),
        new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { own.abort(); reject(LumeError.timeout(`source ${name}`, timeoutMs)) }, timeoutMs) })
      ])
      if (answer === null) throw new LumeError(ErrorCode.NOT_FOUND, `${name} does not know this key`)
      const record = answer instanceof Uint8Array ? decodeRecord(answer) : answer
      return verifyRecord(record, publicKey, this.options.maxRecordAgeMs)
    } finally {
      clearTimeout(timer)
      signal.removeEventListener('abort', stop)
    }
  }
}
