import { decode, encode, ErrorCode, LumeError, toHex, uintCodec, type CallContext, type KeyPair, type Logger } from '@lume/types'
import { ResponseKind } from './constants.js'
import { toWireError } from './errors.js'
import { requestEnvelope, responseEnvelope, type ResponseEnvelope } from './messages.js'
import type { MethodRegistry } from './registry.js'
import type { RpcLimits } from './limits.js'
import { requestHash, signAnswer } from './signed-answer.js'
import type { StreamTable } from './stream-table.js'
import type { ThrottledLog } from './throttled-log.js'

/** What serving needs from its connection. */
export interface ServeContext {
  methods: MethodRegistry
  keyPair: KeyPair | null
  limits: RpcLimits
  logger: Logger
  /** Peer faults, logged once per kind and interval. */
  peerFaults: ThrottledLog
  streams: StreamTable
  remotePublicKey: Uint8Array
  /** Controllers of the handlers running now; the connection aborts them all when it closes. */
  running: Set<AbortController>
}

/**
 * Serve one request and return the encoded response. Never throws: every
 * failure — bad bytes, a throwing handler (even a TypeError, which
 * protomux-rpc would re-throw and crash the process with), a timeout — becomes
 * an error response.
 */
export async function serveRequest (ctx: ServeContext, name: string, raw: Uint8Array): Promise<Uint8Array> {
  try {
    return encode(responseEnvelope, await serveUnsafe(ctx, name, raw))
  } catch (err) {
    if (!LumeError.isInstance(err)) ctx.logger.error({ method: name, err }, 'handler failed')
    else if (err.code === ErrorCode.BAD_FRAME || err.code === ErrorCode.TOO_LARGE || err.code === ErrorCode.RATE_LIMITED) {
      ctx.peerFaults.warn(err.code, { method: name, code: err.code, peer: toHex(ctx.remotePublicKey.subarray(0, 8)) }, err.message)
    }
    return encode(responseEnvelope, { kind: ResponseKind.ERROR, error: toWireError(err, name) })
  }
}

async function serveUnsafe (ctx: ServeContext, name: string, raw: Uint8Array): Promise<ResponseEnvelope> {
  const method = ctx.methods.get(name)
  if (method === undefined) throw new LumeError(ErrorCode.UNKNOWN_METHOD, `unknown method ${name}`)
  const limit = Math.min(method.maxRequestBytes ?? ctx.limits.maxRequestBytes, ctx.limits.maxRequestBytes)
  if (raw.byteLength > limit) throw LumeError.tooLarge(`request to ${name}`, raw.byteLength, limit)
  if (ctx.running.size >= ctx.limits.maxInFlight) {
    throw new LumeError(ErrorCode.RATE_LIMITED, `too many requests in flight (limit ${ctx.limits.maxInFlight})`)
  }
  const envelope = decode(requestEnvelope, raw)
  const request = decode(method.request, envelope.body)

  const abort = new AbortController()
  ctx.running.add(abort)
  const context: CallContext = { method: name, remotePublicKey: ctx.remotePublicKey, signal: abort.signal }
  try {
    if (method.stream === true) {
      const source = method.handler(request, context)
      return { kind: ResponseKind.STREAM, streamId: ctx.streams.open(encodeChunks(source, method.response, ctx.limits.maxResponseBytes)) }
    }
    const value = await withTimeout(Promise.resolve(method.handler(request, context)), ctx.limits.handlerTimeoutMs, name, abort)
    const body = encode(method.response, value)
    if (body.byteLength > ctx.limits.maxResponseBytes) {
      throw LumeError.tooLarge(`answer of ${name} (use a streaming method)`, body.byteLength, ctx.limits.maxResponseBytes)
    }
    if (!envelope.sign || ctx.keyPair === null) return { kind: ResponseKind.OK, body, signature: null }
    const timestamp = Date.now()
    const hash = requestHash(name, envelope.body)
    const signature = signAnswer(ctx.keyPair.secretKey, ctx.keyPair.publicKey, hash, timestamp, body)
    return { kind: ResponseKind.OK, body, signature: { timestamp, signature } }
  } finally {
    ctx.running.delete(abort)
  }
}

async function withTimeout<T> (work: Promise<T>, ms: number, name: string, abort: AbortController): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const err = LumeError.timeout(`handler of ${name}`, ms)
      abort.abort(err)
      reject(err)
    }, ms)
  })
  const closed = new Promise<never>((_resolve, reject) => {
    abort.signal.addEventListener('abort', () => reject(abort.signal.reason), { once: true })
  })
  try {
    return await Promise.race([work, timeout, closed])
  } finally {
    clearTimeout(timer)
    // The handler may still settle later; its outcome is dropped, never unhandled.
    work.catch(() => {})
  }
}

async function * encodeChunks<T> (source: AsyncIterable<T> | Iterable<T>, codec: Parameters<typeof encode<T>>[0], max: number): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    const bytes = encode(codec, chunk)
    if (bytes.byteLength > max) throw LumeError.tooLarge('stream chunk', bytes.byteLength, max)
    yield bytes
  }
}

/** Serve `$stream.next`: the next chunk, or END. */
export async function serveStreamNext (ctx: ServeContext, raw: Uint8Array): Promise<Uint8Array> {
  try {
    const id = decode(uintCodec, raw)
    const pulled = await ctx.streams.pull(id)
    return encode(responseEnvelope, pulled.done ? { kind: ResponseKind.END } : { kind: ResponseKind.OK, body: pulled.chunk, signature: null })
  } catch (err) {
    return encode(responseEnvelope, { kind: ResponseKind.ERROR, error: toWireError(err, '$stream.next') })
  }
}

/** Serve `$stream.cancel`. */
export function serveStreamCancel (ctx: ServeContext, raw: Uint8Array): Uint8Array {
  try {
    ctx.streams.cancel(decode(uintCodec, raw))
  } catch {}
  return encode(responseEnvelope, { kind: ResponseKind.END })
}

