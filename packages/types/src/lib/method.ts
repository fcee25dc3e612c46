import type { Codec } from './codec.js'
import type { CallContext } from './plugin.js'

/**
 * What both sides of a call know about a method: its name and codecs. Share
 * one spec between server and client so both agree on the bytes.
 */
export interface MethodSpec<Req, Res> {
  /**
   * The method's name: `module.method` on an RPC server; a relay plugin gives
   * the local part (letters, digits, `_` and `-`) and the relay prefixes
   * `<plugin>.`.
   */
  name: string
  /** Encodes and decodes the request body (a body that does not decode is refused). */
  request: Codec<Req>
  /** Encodes and decodes the answer. */
  response: Codec<Res>
}

/**
 * A unary method a server runs: one request, one answer. Any answer can be
 * signed by the relay when the caller asks for it (see docs/protocol.md, "RPC").
 */
export interface MethodDefinition<Req, Res> extends MethodSpec<Req, Res> {
  /** Serves one call. Throw a LumeError to send a typed error back. */
  handler (request: Req, context: CallContext): Res | Promise<Res>
  /** Signed answers may be cached and re-served (by this relay or others) for this long. Unset: never cached. */
  cacheTtlMs?: number
  /** Largest request body accepted, in bytes. @default the server's limit */
  maxRequestBytes?: number
  /** Not a stream (the discriminant of {@link ServedMethod}). */
  stream?: false
}

/**
 * A streaming method: the answer is a sequence the caller pulls chunk by
 * chunk (backpressure), ending when the source ends or the caller cancels.
 */
export interface StreamMethodDefinition<Req, Res> extends MethodSpec<Req, Res> {
  /** Yields the answer's chunks; the caller's pulls pace it. */
  handler (request: Req, context: CallContext): AsyncIterable<Res> | Iterable<Res>
  /** Largest request body accepted, in bytes. @default the server's limit */
  maxRequestBytes?: number
  /** A stream (the discriminant of {@link ServedMethod}). */
  stream: true
}

/** Any method a server can serve. */
export type ServedMethod<Req, Res> = MethodDefinition<Req, Res> | StreamMethodDefinition<Req, Res>
