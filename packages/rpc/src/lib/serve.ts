import {
  decode, encode, ErrorCode, LumeError, toHex, uintCodec,
  type AnswerCacheHook, type CallContext, type Codec, type Logger
} from '@lume/types'
import { ResponseKind, RPC_VERSION, RpcBudget } from './constants.js'
import { encodeAnswer, encodeCachedAnswer, signAnswerBody } from './answer-encoding.js'
import { requestHash } from './signed-answer.js'
import type { BatchSigner } from './batch-signer.js'
import type { ConnectionBudget } from './connection-budget.js'
import type { Deadlines } from './deadlines.js'
import { toWireError } from './errors.js'
import { requestEnvelope, responseEnvelope } from './messages.js'
import type { MethodRegistry } from './registry.js'
import type { ServedMethod } from '@lume/types'
import type { RpcLimits } from './limits.js'
import type { StreamTable } from './stream-table.js'
import type { ThrottledLog } from './throttled-log.js'

/** A handler running now. Its AbortController is made only if the handler asks for `signal`. */
export interface RunningCall {
  controller: AbortController | null
  reason: unknown
}

/** What serving needs from its connection. */
export interface ServeContext {
  methods: MethodRegistry
  /** Signs answers when asked; null when this side has no key to sign with. */
  signer: { relayPublicKey: Uint8Array, batch: BatchSigner } | null
  limits: RpcLimits
  logger: Logger
  /** Peer faults, logged once per kind and interval. */
  peerFaults: ThrottledLog
  streams: StreamTable
  remotePublicKey: Uint8Array
  /** The peer's IP address ('' when unknown). */
  remoteHost: string
  /** What the peer holds: calls in flight, open streams, and whatever handlers charge. */
  budget: ConnectionBudget
  /** True while the process is short of memory: new calls are answered `BUSY`. */
  overloaded: () => boolean
  /** Handlers running now; the connection aborts them all when it closes. */
  running: Set<RunningCall>
  /** Handler time limits. */
  deadlines: Deadlines
  /** Where signed answers of cacheable methods are looked up and stored. */
  cache: AnswerCacheHook | null
  /** Told about every call served: method, outcome ('ok' or an error code), milliseconds. */
  observe: RequestObserver | null
}

/** Told about every call a connection serves (for metrics). */
export type RequestObserver = (method: string, outcome: string, ms: number) => void

const END = /* @__PURE__ */ Uint8Array.of(RPC_VERSION, ResponseKind.END)

/**
 * Serve one request and return the encoded response. Never throws: every
 * failure — bad bytes, a throwing handler (even a TypeError, which
 * protomux-rpc would re-throw and crash the process with), a timeout — becomes
 * an error response.
 */
export function serveRequest (ctx: ServeContext, name: string, raw: Uint8Array): Uint8Array | Promise<Uint8Array> {
  const observe = ctx.observe
  if (observe === null) return serveOrError(ctx, name, raw)
  // Observed: time the call and report how it ended (an error response's code, or 'ok').
  const started = performance.now()
  const report = (bytes: Uint8Array): Uint8Array => {
    observe(name, bytes[1] === ResponseKind.ERROR ? errorCodeOf(bytes) : 'ok', performance.now() - started)
    return bytes
  }
  const result = serveOrError(ctx, name, raw)
  return isPromise(result) ? result.then(report) : report(result)
}

function serveOrError (ctx: ServeContext, name: string, raw: Uint8Array): Uint8Array | Promise<Uint8Array> {
  try {
    const result = serveUnsafe(ctx, name, raw)
    return isPromise(result) ? result.catch((err: unknown) => errorResponse(ctx, name, err)) : result
  } catch (err) {
    return errorResponse(ctx, name, err)
  }
}

function errorCodeOf (bytes: Uint8Array): string {
  try {
    const envelope = decode(responseEnvelope, bytes)
    return envelope.kind === ResponseKind.ERROR ? envelope.error.code : 'ok'
  } catch {
    return 'REMOTE_ERROR'
  }
}

function errorResponse (ctx: ServeContext, name: string, err: unknown): Uint8Array {
  if (!LumeError.isInstance(err)) ctx.logger.error({ method: name, err }, 'handler failed')
  // Budget refusals (they name their kind) are logged by the book, once for the whole relay.
  else if (err.code === ErrorCode.BAD_FRAME || err.code === ErrorCode.TOO_LARGE || (err.code === ErrorCode.RATE_LIMITED && err.details.kind === undefined)) {
    ctx.peerFaults.warn(err.code, { method: name, code: err.code, peer: toHex(ctx.remotePublicKey.subarray(0, 8)) }, err.message)
  }
  return encode(responseEnvelope, { kind: ResponseKind.ERROR, error: toWireError(err, name) })
}

// Synchronous all the way for synchronous handlers: promises only where a handler makes one.
function serveUnsafe (ctx: ServeContext, name: string, raw: Uint8Array): Uint8Array | Promise<Uint8Array> {
  const method = ctx.methods.get(name)
  if (method === undefined) throw new LumeError(ErrorCode.UNKNOWN_METHOD, `unknown method ${name}`)
  const limit = Math.min(method.maxRequestBytes ?? ctx.limits.maxRequestBytes, ctx.limits.maxRequestBytes)
  if (raw.byteLength > limit) throw LumeError.tooLarge(`request to ${name}`, raw.byteLength, limit)
  if (ctx.overloaded()) throw new LumeError(ErrorCode.BUSY, 'the relay is short of memory; try later or elsewhere')
  // Held while the call runs (signing included): RATE_LIMITED past the peer's share, BUSY past the relay's.
  const release = ctx.budget.hold(RpcBudget.CALLS)
  let result: Uint8Array | Promise<Uint8Array>
  try {
    result = serveHeld(ctx, name, method, raw)
  } catch (err) {
    release()
    throw err
  }
  if (!isPromise(result)) {
    release()
    return result
  }
  return result.finally(release)
}

function serveHeld (ctx: ServeContext, name: string, method: ServedMethod<unknown, unknown>, raw: Uint8Array): Uint8Array | Promise<Uint8Array> {
  const envelope = decode(requestEnvelope, raw)
  const request = decode(method.request, envelope.body)

  const call: RunningCall = { controller: null, reason: undefined }
  const context = callContext(name, ctx, call)
  if (method.stream === true) {
    const release = ctx.budget.hold(RpcBudget.STREAMS)
    let source: AsyncIterable<unknown> | Iterable<unknown>
    try {
      source = method.handler(request, context)
    } catch (err) {
      release()
      throw err
    }
    const streamId = ctx.streams.open(encodeChunks(source, method.response, ctx.limits.maxResponseBytes), {
      abort: (reason) => abortCall(call, reason),
      release
    })
    return encode(responseEnvelope, { kind: ResponseKind.STREAM, streamId })
  }
  const signer = envelope.sign && ctx.signer !== null ? { ...ctx.signer, method: name, requestBody: envelope.body } : null
  const cacheTtlMs = method.cacheTtlMs
  const cache = signer !== null && cacheTtlMs !== undefined ? ctx.cache : null
  if (cache !== null && signer !== null) {
    // A cacheable method asked for a signed answer: one signed earlier (here or by another relay) will do.
    const hit = cache.lookup(name, requestHash(name, envelope.body))
    if (hit !== null) return encodeCachedAnswer(hit, signer.relayPublicKey)
  }
  const answer = (value: unknown): Uint8Array | Promise<Uint8Array> => {
    const { bytes, body } = encodeAnswer(method.response as Codec<unknown>, value)
    if (body.byteLength > ctx.limits.maxResponseBytes) {
      throw LumeError.tooLarge(`answer of ${name} (use a streaming method)`, body.byteLength, ctx.limits.maxResponseBytes)
    }
    if (signer === null) return bytes
    return signAnswerBody(signer, body).then(({ bytes: signed, answer: stored }) => {
      if (cache !== null && cacheTtlMs !== undefined) cache.store(name, stored, cacheTtlMs)
      return signed
    })
  }
  const value = method.handler(request, context)
  if (!isPromise(value)) return answer(value)

  ctx.running.add(call)
  const timeoutMs = ctx.limits.handlerTimeoutMs
  const timedOut = (): Error => {
    const err = LumeError.timeout(`handler of ${name}`, timeoutMs)
    abortCall(call, err)
    return err
  }
  return ctx.deadlines.race(value, timeoutMs, timedOut).then(answer).finally(() => ctx.running.delete(call))
}

/** Abort a running call: its signal (if the handler took it) fires with `reason`. */
export function abortCall (call: RunningCall, reason: unknown): void {
  call.reason ??= reason
  call.controller?.abort(reason)
}

function callContext (method: string, ctx: ServeContext, call: RunningCall): CallContext {
  return {
    method,
    remotePublicKey: ctx.remotePublicKey,
    remoteHost: ctx.remoteHost,
    budget: ctx.budget,
    get signal (): AbortSignal {
      if (call.controller === null) {
        call.controller = new AbortController()
        if (call.reason !== undefined) call.controller.abort(call.reason)
      }
      return call.controller.signal
    }
  }
}

function isPromise<T> (value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown })?.then === 'function'
}

async function * encodeChunks<T> (source: AsyncIterable<T> | Iterable<T>, codec: Codec<T>, max: number): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    const bytes = encode(codec, chunk)
    if (bytes.byteLength > max) throw LumeError.tooLarge('stream chunk', bytes.byteLength, max)
    yield bytes
  }
}

/** Serve `$stream.next`: the next chunk, or END. A waiting pull counts as a call in flight. */
export async function serveStreamNext (ctx: ServeContext, raw: Uint8Array): Promise<Uint8Array> {
  let release: (() => void) | undefined
  try {
    const id = decode(uintCodec, raw)
    release = ctx.budget.hold(RpcBudget.CALLS)
    const pulled = await ctx.streams.pull(id)
    return pulled.done ? END : encode(responseEnvelope, { kind: ResponseKind.OK, body: pulled.chunk, signature: null })
  } catch (err) {
    return errorResponse(ctx, '$stream.next', err)
  } finally {
    release?.()
  }
}

/** Serve `$stream.cancel`. */
export function serveStreamCancel (ctx: ServeContext, raw: Uint8Array): Uint8Array {
  try {
    ctx.streams.cancel(decode(uintCodec, raw))
  } catch {}
  return END
}
