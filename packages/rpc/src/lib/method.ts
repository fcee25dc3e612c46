import type { CallContext, Codec } from '@lume/types'
import { LumeError } from '@lume/types'
import { METHOD_NAME } from './constants.js'

/**
 * What both sides know about a method: its full name and codecs. Share one
 * spec between server and client so both agree on the bytes.
 */
export interface MethodSpec<Req, Res> {
  /** `module.method`. */
  name: string
  request: Codec<Req>
  response: Codec<Res>
}

/** A unary method the server runs: one request, one answer. */
export interface UnaryMethod<Req, Res> extends MethodSpec<Req, Res> {
  /** Signed answers may be cached and re-served (by this relay or others) for this long. Unset: never cached. */
  cacheTtlMs?: number
  /** Largest request body accepted. @default the server's maxRequestBytes */
  maxRequestBytes?: number
  handler: (request: Req, context: CallContext) => Res | Promise<Res>
  stream?: false
}

/** A streaming method: the answer is a sequence of chunks the client pulls (backpressure by pull). */
export interface StreamMethod<Req, Res> extends MethodSpec<Req, Res> {
  maxRequestBytes?: number
  handler: (request: Req, context: CallContext) => AsyncIterable<Res> | Iterable<Res>
  stream: true
}

/** Any method the server can serve. */
export type ServedMethod<Req, Res> = UnaryMethod<Req, Res> | StreamMethod<Req, Res>

/** Declare a method spec, checking its name. */
export function defineMethod<Req, Res> (spec: MethodSpec<Req, Res>): MethodSpec<Req, Res> {
  assertMethodName(spec.name)
  return spec
}

/** Throws INVALID_ARGUMENT unless `name` is `module.method`. */
export function assertMethodName (name: string): void {
  if (!METHOD_NAME.test(name)) throw LumeError.invalidArgument(`method name must be "module.method" (letters, digits, _ and -), got "${name}"`)
}
