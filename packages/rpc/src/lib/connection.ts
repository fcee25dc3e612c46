import ProtomuxRPC from 'protomux-rpc'
import {
  decode, encode, fromWireError, LumeError, silentLogger, uintCodec,
  type AnswerCacheHook, type CloseOptions, type Logger
} from '@lume/types'
import type { KeyPair } from '@lume/crypto'
import { InternalMethod, ResponseKind, RPC_PROTOCOL } from './constants.js'
import { fromTransportError } from './errors.js'
import { resolveLimits, type RpcLimits } from './limits.js'
import { responseEnvelope, type ResponseEnvelope } from './messages.js'
import type { MethodSpec, SignedAnswer } from '@lume/types'
import { MethodRegistry } from './registry.js'
import { abortCall, serveRequest, serveStreamCancel, serveStreamNext, type RequestObserver, type ServeContext } from './serve.js'
import { encodeRequest } from './answer-encoding.js'
import { BatchSigner } from './batch-signer.js'
import { Deadlines, resolutionFor } from './deadlines.js'
import { requestHash, verifyAnswerAsync, VerifiedRoots } from './signed-answer.js'
import { StreamTable } from './stream-table.js'
import { BudgetBook } from './budget-book.js'
import type { ConnectionBudget } from './connection-budget.js'
import { ThrottledLog } from './throttled-log.js'
import { observeUnknownMethods } from './unknown-methods.js'

const EMPTY = new Uint8Array(0)

/** A framed duplex stream, such as HyperDHT's NoiseSecretStream. */
export interface FramedStream {
  remotePublicKey?: Uint8Array | null
  /** HyperDHT's UDX stream, which knows the peer's address. */
  rawStream?: { remoteHost?: string } | null
  destroy (err?: Error): void
  on (event: string, listener: (...args: unknown[]) => void): unknown
  setKeepAlive?: (ms: number) => void
  setTimeout?: (ms: number) => void
}

/** Options for {@link RpcConnection.open}. */
export interface RpcConnectionInit {
  /** Serve these methods to the peer. @default none (client only) */
  methods?: MethodRegistry
  /** Sign answers with this key pair when asked. @default never sign */
  keyPair?: KeyPair
  /** A batch signer to share between connections (more answers per signature). @default one per connection */
  signer?: BatchSigner
  /** Answer signed calls to cacheable methods from this cache, and fill it. @default none */
  answerCache?: AnswerCacheHook
  /** Told about every call served (method, outcome, ms), e.g. for metrics. @default none */
  observe?: RequestObserver
  /** The peer's public key, if the stream does not carry `remotePublicKey`. */
  remotePublicKey?: Uint8Array
  /**
   * The relay-wide book every call and stream of this peer is charged to (see
   * {@link BudgetBook}). @default a book of this connection's own, with
   * `limits.maxInFlight` calls and `limits.maxStreams` streams
   */
  book?: BudgetBook
  /** The peer's IP address, charged per address in the book. @default `stream.rawStream.remoteHost`, else '' */
  remoteHost?: string
  /** Charge this connection as an address of its own (a trusted host many users share). @default false */
  chargeAlone?: boolean
  /** Limits on what the peer may send and hold (sizes, calls in flight, timeouts). @default `DEFAULT_LIMITS` */
  limits?: Partial<RpcLimits>
  /** Where the connection logs peer faults (throttled). @default silent */
  logger?: Logger
}

/** Options for one call. */
export interface CallOptions {
  /** Fail with `TIMEOUT` after this. @default limits.callTimeoutMs */
  timeoutMs?: number
  /** Cancel the call (fails with `ABORTED`). */
  signal?: AbortSignal
}

/** A signed answer and its decoded value. */
export interface VerifiedAnswer<Res> {
  value: Res
  answer: SignedAnswer
}

/**
 * One RPC channel on one connection, in both directions: it serves the
 * methods of its registry (if any) and calls the peer's.
 *
 * @example
 * ```ts
 * const conn = RpcConnection.open(socket)
 * const info = await conn.call(infoSpec, null)
 * ```
 */
export class RpcConnection {
  readonly limits: RpcLimits
  /** The peer's IP address ('' when unknown). */
  readonly remoteHost: string
  /** What this peer holds; released when the connection closes. */
  readonly budget: ConnectionBudget
  private readonly rpc: ProtomuxRPC
  private readonly stream: FramedStream
  private readonly serveContext: ServeContext
  private readonly closedController = new AbortController()
  /** Deadlines of our own calls. */
  private readonly callDeadlines: Deadlines
  /** Batch roots of this peer already verified. */
  private readonly verifiedRoots = new VerifiedRoots()
  private readonly stopListening: () => void
  private closing: Promise<void> | null = null
  private readonly fixedRemoteKey: Uint8Array | null

  private constructor (stream: FramedStream, init: RpcConnectionInit) {
    this.stream = stream
    this.limits = resolveLimits(init.limits)
    this.fixedRemoteKey = init.remotePublicKey ?? null
    // The serve context reads the key lazily: over a WebSocket it is known only after the handshake.
    const self = this
    this.rpc = new ProtomuxRPC(stream, { protocol: RPC_PROTOCOL, valueEncoding: null })
    const methods = init.methods ?? new MethodRegistry()
    const logger = init.logger ?? silentLogger
    this.remoteHost = init.remoteHost ?? stream.rawStream?.remoteHost ?? ''
    const book = init.book ?? BudgetBook.ofOneConnection(this.limits, logger)
    this.budget = book.peer(this.remoteHost, { alone: init.chargeAlone === true })
    this.serveContext = {
      methods,
      signer: init.keyPair === undefined ? null : { relayPublicKey: init.keyPair.publicKey, batch: init.signer ?? new BatchSigner(init.keyPair) },
      limits: this.limits,
      logger,
      peerFaults: new ThrottledLog(logger),
      streams: new StreamTable(this.limits.streamIdleMs, this.limits.maxPendingPulls),
      get remotePublicKey (): Uint8Array { return self.remotePublicKey },
      remoteHost: this.remoteHost,
      budget: this.budget,
      overloaded: () => book.overloaded(),
      running: new Set(),
      deadlines: new Deadlines(resolutionFor(this.limits.handlerTimeoutMs)),
      cache: init.answerCache ?? null,
      observe: init.observe ?? null
    }
    this.callDeadlines = new Deadlines(resolutionFor(this.limits.callTimeoutMs))
    const ctx = this.serveContext
    this.rpc.respond(InternalMethod.PING, {}, () => encode(responseEnvelope, { kind: ResponseKind.OK, body: new Uint8Array(0), signature: null }))
    this.rpc.respond(InternalMethod.STREAM_NEXT, {}, (raw) => serveStreamNext(ctx, raw))
    this.rpc.respond(InternalMethod.STREAM_CANCEL, {}, (raw) => serveStreamCancel(ctx, raw))
    for (const name of methods.names()) this.serve(name)
    // Methods registered later are callable on this connection too.
    this.stopListening = methods.onRegister((name) => this.serve(name))
    const observe = init.observe
    if (observe !== undefined) {
      const internal = new Set<string>(Object.values(InternalMethod))
      observeUnknownMethods(this.rpc.mux, RPC_PROTOCOL, (name) => internal.has(name) || methods.get(name) !== undefined, observe)
    }
    this.rpc.on('close', () => this.onClosed())
    stream.on('error', () => {}) // reported through 'close'; an unhandled 'error' would crash the process
    stream.on('close', () => this.onClosed())
    if (this.limits.keepAliveMs > 0) stream.setKeepAlive?.(this.limits.keepAliveMs)
    if (this.limits.idleTimeoutMs > 0) stream.setTimeout?.(this.limits.idleTimeoutMs)
  }

  /** Open the RPC channel on `stream` (a framed stream, e.g. a HyperDHT connection). */
  static open (stream: FramedStream, init: RpcConnectionInit = {}): RpcConnection {
    return new RpcConnection(stream, init)
  }

  get [Symbol.toStringTag] (): string {
    return 'RpcConnection'
  }

  /**
   * The peer's public key (32 bytes, or empty while unknown). Read from the
   * stream, so a connection opened before its handshake finished learns it.
   */
  get remotePublicKey (): Uint8Array {
    return this.fixedRemoteKey ?? this.stream.remotePublicKey ?? EMPTY
  }

  /** True once the channel or its stream has closed. */
  get closed (): boolean {
    return this.closedController.signal.aborted
  }

  /** Aborted when the connection closes: pass it on to work that should stop with it. */
  get signal (): AbortSignal {
    return this.closedController.signal
  }

  /** Call `spec.name` and decode its answer. */
  async call<Req, Res> (spec: MethodSpec<Req, Res>, value: Req, options: CallOptions = {}): Promise<Res> {
    const answer = await this.request(spec.name, encodeRequest(spec.request, value, false), options)
    if (answer.kind !== ResponseKind.OK) throw LumeError.badFrame(`${spec.name}: expected an answer, got a stream`)
    return decode(spec.response, answer.body)
  }

  /**
   * Call and require the peer's signature over (request hash, answer, time).
   * Fails with `BAD_SIGNATURE` if it is missing or does not verify against
   * the peer's key and *this* request.
   */
  async callSigned<Req, Res> (spec: MethodSpec<Req, Res>, value: Req, options: CallOptions = {}): Promise<VerifiedAnswer<Res>> {
    const bytes = encodeRequest(spec.request, value, true)
    const body = bytes.subarray(2)
    const response = await this.request(spec.name, bytes, options)
    if (response.kind !== ResponseKind.OK || response.signature === null) throw LumeError.badSignature(`${spec.name}: answer is not signed`)
    const answer: SignedAnswer = {
      // A cached answer names the relay that signed it; otherwise it is the peer's own.
      relayPublicKey: response.signature.signer ?? this.remotePublicKey,
      requestHash: requestHash(spec.name, body),
      body: response.body,
      timestamp: response.signature.timestamp,
      signature: response.signature.signature,
      proof: response.signature.proof
    }
    if (!await verifyAnswerAsync(answer, answer.requestHash, this.verifiedRoots)) throw LumeError.badSignature(`${spec.name}: answer`)
    return { value: decode(spec.response, response.body), answer }
  }

  /**
   * Call a streaming method. Chunks are pulled as the loop consumes them,
   * with up to `prefetch` pulls ahead (backpressure: a slow consumer slows the
   * server down, nothing piles up). Breaking out of the loop cancels the stream.
   * `timeoutMs` bounds the opening call only: a pull waits as long as the
   * server has nothing new (an idle subscription is not an error) unless
   * `pullTimeoutMs` is set; a dead peer is noticed by the connection's
   * keep-alive and idle timeout, and `signal` cancels at any time.
   */
  async * callStream<Req, Res> (spec: MethodSpec<Req, Res>, value: Req, options: CallOptions & {
    /** Chunks asked for ahead of the reader. @default 4 */
    prefetch?: number
    /** Longest wait for one chunk (TIMEOUT after it). @default no limit */
    pullTimeoutMs?: number
  } = {}): AsyncGenerator<Res> {
    const first = await this.request(spec.name, encodeRequest(spec.request, value, false), options)
    if (first.kind !== ResponseKind.STREAM) throw LumeError.badFrame(`${spec.name}: expected a stream`)
    const id = encode(uintCodec, first.streamId)
    const pulls: Array<Promise<ResponseEnvelope>> = []
    const prefetch = Math.max(1, options.prefetch ?? 4)
    const pullTimeoutMs = options.pullTimeoutMs ?? Infinity
    const pullOptions: CallOptions = options.signal === undefined ? { timeoutMs: pullTimeoutMs } : { timeoutMs: pullTimeoutMs, signal: options.signal }
    let done = false
    try {
      while (true) {
        while (pulls.length < prefetch) {
          const pull = this.request(InternalMethod.STREAM_NEXT, id, pullOptions)
          // A consumer that stops pulling (and never returns) must not leave unhandled rejections behind.
          pull.catch(() => {})
          pulls.push(pull)
        }
        const next = await (pulls.shift() as Promise<ResponseEnvelope>)
        if (next.kind === ResponseKind.END) { done = true; return }
        if (next.kind !== ResponseKind.OK) throw LumeError.badFrame(`${spec.name}: bad stream chunk`)
        yield decode(spec.response, next.body)
      }
    } finally {
      for (const p of pulls) p.catch(() => {})
      if (!done && !this.closed) {
        this.rpc.request(InternalMethod.STREAM_CANCEL, id, { timeout: this.limits.callTimeoutMs }).catch(() => {})
      }
    }
  }

  /** Round-trip time to the peer in ms (an application-level ping). */
  async ping (options: CallOptions = {}): Promise<number> {
    const started = performance.now()
    await this.request(InternalMethod.PING, new Uint8Array(0), options)
    return performance.now() - started
  }

  /**
   * Stop serving, let calls in flight finish (up to `graceMs`, default 5000),
   * then close the stream. Idempotent: every call returns the first call's
   * promise.
   */
  close (options: CloseOptions = {}): Promise<void> {
    const graceMs = options.graceMs ?? 5000
    this.closing ??= (async () => {
      let timer: ReturnType<typeof setTimeout> | undefined
      await Promise.race([this.rpc.end(), new Promise((resolve) => { timer = setTimeout(resolve, graceMs) })])
      clearTimeout(timer)
      this.destroy()
    })()
    return this.closing
  }

  /** Close at once; calls in flight fail with `CONNECTION_FAILED`. */
  destroy (err?: Error): void {
    this.rpc.destroy(err)
    this.stream.destroy(err)
    this.onClosed()
  }

  private serve (name: string): void {
    this.rpc.respond(name, {}, (raw) => serveRequest(this.serveContext, name, raw))
  }

  /** Send an encoded request value and decode the response envelope (errors thrown as LumeErrors). */
  private async request (name: string, bytes: Uint8Array, options: CallOptions): Promise<ResponseEnvelope> {
    if (this.closed) throw LumeError.closed('connection')
    if (bytes.byteLength > this.limits.maxRequestBytes) throw LumeError.tooLarge(`request to ${name}`, bytes.byteLength, this.limits.maxRequestBytes)
    const timeoutMs = options.timeoutMs ?? this.limits.callTimeoutMs
    const signal = options.signal
    if (signal?.aborted === true) throw LumeError.aborted(name, signal.reason)
    let reply: Uint8Array
    try {
      // No protomux-rpc timeout: one coarse timer serves every call (see Deadlines).
      reply = await this.callDeadlines.race(this.rpc.request(name, bytes), timeoutMs, () => LumeError.timeout(name, timeoutMs), signal, () => LumeError.aborted(name, signal?.reason))
    } catch (err) {
      throw fromTransportError(err, name)
    }
    const envelope = decode(responseEnvelope, reply)
    if (envelope.kind === ResponseKind.ERROR) throw fromWireError(envelope.error)
    return envelope
  }

  private onClosed (): void {
    if (this.closedController.signal.aborted) return
    this.closedController.abort(LumeError.closed('connection'))
    this.stopListening()
    const closed = LumeError.closed('connection')
    this.serveContext.streams.closeAll(closed)
    for (const call of this.serveContext.running) abortCall(call, closed)
    this.serveContext.deadlines.expireAll()
    // Everything the peer held goes back to its address and the relay, whatever handlers forgot.
    this.budget.close()
  }
}
