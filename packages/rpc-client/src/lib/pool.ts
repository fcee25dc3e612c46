import { RpcConnection, type CallOptions, type FramedStream, type RpcLimits } from '@lume/rpc'
import { CoreMethods } from '@lume/rpc/core'
import { ErrorCode, LumeError, openWithin, silentLogger, toHex, type Closable, type Logger, type MethodSpec, type SignedAnswer } from '@lume/types'
import { QuorumTally, type Vote } from './quorum.js'
import { RelayState } from './relay-state.js'

/** Anything that can open an encrypted stream to a public key: a HyperDHT node, or a browser's relayed DHT. */
export interface Dialer {
  connect (publicKey: Uint8Array): FramedStream & { once (event: string, listener: (...args: unknown[]) => void): unknown }
}

/** Options for {@link RelayPool}. */
export interface RelayPoolInit {
  /**
   * Opens streams to relays. Several (e.g. a browser's relayed DHTs through
   * different relays' WebSocket endpoints) are tried in turn, so losing the
   * endpoint a client came in through does not cut it off.
   */
  dialer: Dialer | Dialer[]
  /** Relays to use (more can be added with {@link RelayPool.add}). */
  relays?: Uint8Array[]
  /** Fail a dial after this. @default 5000 */
  connectTimeoutMs?: number
  /** Per-call time limit. @default 5000 */
  callTimeoutMs?: number
  /** Backoff for a failing relay: first delay and cap. @default { initialMs: 500, maxMs: 30000 } */
  backoff?: { initialMs: number, maxMs: number }
  /** RPC limits for the pool's connections. */
  limits?: Partial<RpcLimits>
  /** Where the pool logs dial failures and lagging relays. @default silent */
  logger?: Logger
}

/** Options for {@link RelayPool.query}. */
export interface QueryOptions<Res> {
  /** Agreeing relays needed. */
  quorum: number
  /**
   * Relays asked at first. @default quorum: k honest answers decide, so
   * only k relays sign and only k answers are verified; more are asked on
   * a disagreement, a failure, or at `hedgeAfterMs`
   */
  of?: number
  /** The whole query's deadline. @default callTimeoutMs */
  timeoutMs?: number
  /** Ask the other relays when k have not agreed after this. @default 3 × the slowest first relay's latency, at least 10 ms */
  hedgeAfterMs?: number
  /**
   * What must agree: a key per answer. @default the answer's bytes. Give one
   * for answers with benign differences (timestamps): e.g. `(v) => v.head`.
   */
  agreeOn?: (value: Res, body: Uint8Array) => string
}

/** A quorum's answer: the value, and the signed answers of the relays that agreed. */
export interface QuorumAnswer<Res> {
  value: Res
  agreeing: SignedAnswer[]
  /** Every vote, including the disagreeing and failed ones. */
  votes: Vote[]
}

/**
 * A pool of relay connections: learns each relay's methods (`core.info`),
 * tracks health and latency, backs off from failing relays, and answers
 * `call` (one relay, retried elsewhere) and `query` (k of n relays must agree).
 */
export class RelayPool implements Closable {
  private readonly states = new Map<string, RelayState>()
  private readonly connections = new Map<string, Promise<RpcConnection>>()
  private closing: Promise<void> | null = null
  private readonly init: Required<Omit<RelayPoolInit, 'relays' | 'limits' | 'logger' | 'dialer'>> & Pick<RelayPoolInit, 'limits'>
  private readonly dialers: Dialer[]
  private readonly logger: Logger
  private closed = false

  constructor (init: RelayPoolInit) {
    this.dialers = Array.isArray(init.dialer) ? [...init.dialer] : [init.dialer]
    if (this.dialers.length === 0) throw LumeError.invalidArgument('a relay pool needs at least one dialer')
    this.init = {
      connectTimeoutMs: init.connectTimeoutMs ?? 5000,
      callTimeoutMs: init.callTimeoutMs ?? 5000,
      backoff: init.backoff ?? { initialMs: 500, maxMs: 30_000 },
      limits: init.limits
    }
    this.logger = init.logger ?? silentLogger
    for (const relay of init.relays ?? []) this.add(relay)
  }

  get [Symbol.toStringTag] (): string {
    return 'RelayPool'
  }

  /** Add a relay by public key (no-op if known). */
  add (publicKey: Uint8Array): void {
    const id = toHex(publicKey)
    if (!this.states.has(id)) this.states.set(id, new RelayState(publicKey, id))
  }

  /** What the pool knows of each relay. */
  relays (): ReadonlyArray<Readonly<RelayState>> {
    return [...this.states.values()]
  }

  /**
   * The pool's connection to one relay (added to the pool if new), dialed if
   * needed — for methods the pool has no helper for, such as a registry
   * subscription on a chosen relay. Fails with `CONNECTION_FAILED`,
   * `HANDSHAKE_FAILED` or `TIMEOUT`.
   */
  async connect (publicKey: Uint8Array): Promise<RpcConnection> {
    if (this.closed) throw LumeError.closed('relay pool')
    this.add(publicKey)
    return await this.connection(this.states.get(toHex(publicKey)) as RelayState)
  }

  /** Connect to every relay and learn its methods; resolves when all have answered or failed. */
  async refresh (): Promise<void> {
    await Promise.allSettled([...this.states.values()].map(async (state) => await this.connection(state)))
  }

  /**
   * Call one relay: the fastest healthy one that serves the method; on
   * failure or timeout, the next one (up to `retries` more).
   */
  async call<Req, Res> (spec: MethodSpec<Req, Res>, value: Req, options: CallOptions & {
    /** Other relays tried after a failure or timeout. @default 2 */
    retries?: number
  } = {}): Promise<Res> {
    const candidates = this.candidates(spec.name)
    if (candidates.length === 0) throw new LumeError(ErrorCode.CONNECTION_FAILED, `no reachable relay serves ${spec.name}`)
    let lastError: unknown = null
    for (const state of candidates.slice(0, 1 + (options.retries ?? 2))) {
      try {
        return await this.timed(state, async (conn) => await conn.call(spec, value, { timeoutMs: options.timeoutMs ?? this.init.callTimeoutMs, ...(options.signal === undefined ? {} : { signal: options.signal }) }))
      } catch (err) {
        lastError = err
        if (LumeError.hasCode(err, ErrorCode.ABORTED)) throw err
      }
    }
    throw lastError
  }

  /**
   * Ask several relays directly and accept an answer only when `quorum` of
   * them agree, each answer verified against its relay's signature over this
   * request. Resolves as soon as k agree; fails at once with `NO_QUORUM` when
   * fewer than k relays are reachable, and with `NO_QUORUM` (details: every
   * vote and the split) when agreement becomes impossible or time runs out.
   * Never returns a minority answer.
   */
  async query<Req, Res> (spec: MethodSpec<Req, Res>, value: Req, options: QueryOptions<Res>): Promise<QuorumAnswer<Res>> {
    const k = options.quorum
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`quorum must be a positive integer, got ${k}`)
    // A copy: sampling never reorders or mutates the pool's own list.
    const candidates = this.candidates(spec.name)
    if (candidates.length < k) {
      throw new LumeError(ErrorCode.NO_QUORUM, `only ${candidates.length} reachable relays serve ${spec.name}; a quorum needs ${k}`, { details: { reachable: candidates.length, quorum: k, votes: [] } })
    }
    const deadline = options.timeoutMs ?? this.init.callTimeoutMs
    const agreeOn = options.agreeOn ?? ((_v: Res, body: Uint8Array) => toHex(body))
    const tally = new QuorumTally(k)
    const values = new Map<string, Res>()
    const abort = new AbortController()
    let next = 0
    let pending = 0

    return await new Promise<QuorumAnswer<Res>>((resolve, reject) => {
      let settled = false
      const finish = (outcome: QuorumAnswer<Res> | LumeError): void => {
        if (settled) return
        settled = true
        clearTimeout(deadlineTimer)
        clearTimeout(hedgeTimer)
        abort.abort()
        if (outcome instanceof LumeError) reject(outcome)
        else resolve(outcome)
      }
      const noQuorum = (why: string): LumeError => new LumeError(ErrorCode.NO_QUORUM, `${spec.name}: ${why}`, {
        details: { quorum: k, split: tally.split(), votes: tally.all().map(describeVote) }
      })
      const check = (): void => {
        const winner = tally.winner()
        if (winner !== null) {
          const first = winner[0] as Extract<Vote, { ok: true }>
          finish({ value: values.get(first.key) as Res, agreeing: winner.map((v) => (v as Extract<Vote, { ok: true }>).answer), votes: tally.all() })
          return
        }
        const untried = candidates.length - next
        if (!tally.stillPossible(pending + untried)) finish(noQuorum(`no ${k} relays can agree any more (split ${tally.split().join('/') || 'none'})`))
        // Short of k even if every answer still out agrees with the largest group: ask more now, not after they all come in.
        const short = k - Math.max(0, ...tally.split()) - pending
        if (!settled && short > 0 && untried > 0) ask(Math.min(untried, short))
      }
      const ask = (count: number): void => {
        for (let i = 0; i < count && next < candidates.length; i++) {
          const state = candidates[next++] as RelayState
          pending++
          this.timed(state, async (conn) => await conn.callSigned(spec, value, { timeoutMs: deadline, signal: abort.signal })).then(({ value: v, answer }) => {
            const key = agreeOn(v, answer.body)
            if (!values.has(key)) values.set(key, v)
            tally.add({ relay: state.publicKey, ok: true, key, answer })
          }, (err: unknown) => {
            const e = LumeError.isInstance(err) ? err : new LumeError(ErrorCode.REMOTE_ERROR, String(err))
            if (e.code === ErrorCode.TIMEOUT) state.lags++
            tally.add({ relay: state.publicKey, ok: false, error: { code: e.code, message: e.message } })
          }).finally(() => {
            pending--
            if (!settled) check()
          })
        }
      }
      const deadlineTimer = setTimeout(() => finish(noQuorum(`no ${k} relays agreed within ${deadline} ms`)), deadline)
      const first = candidates.slice(0, options.of ?? k)
      const slowest = Math.max(10, ...first.map((s) => (s.latencyMs ?? 50) * 3))
      // Hedge: if the first relays are slow, ask the rest before the deadline.
      const hedgeTimer = setTimeout(() => { if (!settled) ask(candidates.length - next) }, options.hedgeAfterMs ?? slowest)
      ask(first.length)
    })
  }

  /**
   * Follow a streaming method (a subscription) on one relay, and when that
   * relay goes away, resume on another: `request(last)` builds the request
   * from the last item received (null at first), e.g. a registry subscription
   * `since` the last revision seen. Ends when the loop is left.
   */
  async * follow<Req, Res> (spec: MethodSpec<Req, Res>, request: (last: Res | null) => Req, options: {
    /** Pause before following again on another relay after one fails. @default 250 */
    retryDelayMs?: number
  } = {}): AsyncGenerator<Res> {
    let last: Res | null = null
    for (;;) {
      if (this.closed) return
      const state = this.candidates(spec.name)[0]
      if (state === undefined) {
        await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 250))
        continue
      }
      try {
        const conn = await this.connection(state)
        for await (const item of conn.callStream(spec, request(last), { prefetch: 1 })) {
          last = item
          yield item
        }
        return
      } catch (err) {
        const code = (err as { code?: string }).code
        if (code !== ErrorCode.CONNECTION_FAILED && code !== ErrorCode.CLOSED && code !== ErrorCode.TIMEOUT) throw err
        // The relay went away mid-stream: back off from it and resume elsewhere.
        state.failed(this.init.backoff.initialMs, this.init.backoff.maxMs)
        this.drop(state)
        this.logger.debug({ relay: state.id.slice(0, 12) }, 'subscription lost its relay; resuming on another')
      }
    }
  }

  /** Close every connection. */
  close (): Promise<void> {
    // Idempotent: a second call (even while the first is under way) gets the same promise.
    this.closing ??= (async () => {
      this.closed = true
      const all = [...this.connections.values()]
      this.connections.clear()
      await Promise.allSettled(all.map(async (p) => (await p).destroy()))
    })()
    return this.closing
  }

  /** Relays that are available and serve `method`, best first. */
  private candidates (method: string): RelayState[] {
    const now = Date.now()
    return [...this.states.values()].filter((s) => s.available(now) && s.supports(method)).sort((a, b) => a.score() - b.score())
  }

  /** Run `fn` on a relay's connection, keeping its health and latency up to date. */
  private async timed<T> (state: RelayState, fn: (conn: RpcConnection) => Promise<T>): Promise<T> {
    const started = performance.now()
    try {
      const result = await fn(await this.connection(state))
      state.succeeded(performance.now() - started)
      return result
    } catch (err) {
      const code = (err as { code?: string }).code
      // Only transport faults count against a relay; a typed answer is a working relay.
      if (code === ErrorCode.CONNECTION_FAILED || code === ErrorCode.TIMEOUT || code === ErrorCode.CLOSED || code === ErrorCode.BAD_SIGNATURE) {
        state.failed(this.init.backoff.initialMs, this.init.backoff.maxMs)
        this.drop(state)
      }
      throw err
    }
  }

  /** An open connection to a relay (dialed, with a timeout, and its methods learned). */
  private async connection (state: RelayState): Promise<RpcConnection> {
    if (this.closed) throw LumeError.closed('relay pool')
    const existing = this.connections.get(state.id)
    if (existing !== undefined) {
      const conn = await existing
      if (!conn.closed) return conn
      this.connections.delete(state.id)
    }
    const dialing = this.dial(state)
    this.connections.set(state.id, dialing)
    dialing.catch(() => {
      if (this.connections.get(state.id) === dialing) this.connections.delete(state.id)
      state.failed(this.init.backoff.initialMs, this.init.backoff.maxMs)
    })
    return await dialing
  }

  /** Dial through each dialer in turn until one gets through. */
  private async dial (state: RelayState): Promise<RpcConnection> {
    let lastError: unknown = null
    for (const dialer of this.dialers) {
      try {
        return await this.dialWith(dialer, state)
      } catch (err) {
        lastError = err
      }
    }
    throw lastError
  }

  private async dialWith (dialer: Dialer, state: RelayState): Promise<RpcConnection> {
    let stream: ReturnType<Dialer['connect']>
    try {
      stream = dialer.connect(state.publicKey)
    } catch (err) {
      throw new LumeError(ErrorCode.CONNECTION_FAILED, 'dialer unavailable', { cause: err })
    }
    const timeoutMs = this.init.connectTimeoutMs
    // A relay that failed to prove its key errors with HANDSHAKE_FAILED (an impostor, not an outage): openWithin passes it on.
    await openWithin(stream, timeoutMs, `connect to relay ${state.id.slice(0, 12)}`)
    const conn = RpcConnection.open(stream, { limits: this.init.limits ?? {}, logger: this.logger })
    const started = performance.now()
    const info = await conn.call(CoreMethods.info, null, { timeoutMs })
    state.methods = new Set(info.methods)
    state.succeeded(performance.now() - started)
    conn.signal.addEventListener('abort', () => this.drop(state), { once: true })
    return conn
  }

  private drop (state: RelayState): void {
    const pending = this.connections.get(state.id)
    this.connections.delete(state.id)
    pending?.then((c) => c.destroy(), () => {})
  }
}

function describeVote (vote: Vote): { relay: string, ok: boolean, answer?: string, error?: string } {
  return vote.ok
    ? { relay: toHex(vote.relay), ok: true, answer: vote.key.slice(0, 64) }
    : { relay: toHex(vote.relay), ok: false, error: `${vote.error.code}: ${vote.error.message}` }
}
