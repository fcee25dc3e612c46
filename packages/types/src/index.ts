/**
 * @packageDocumentation
 * Lume's shared vocabulary, with no runtime dependencies: the
 * {@link LumeError} type and its stable codes, wire codecs, the relay plugin
 * interfaces, events, lifecycle, budgets and protocol constants. No I/O.
 * Keys and signatures live in `@lume/crypto`.
 *
 * @example
 * ```ts
 * import { decode, encode, ErrorCode, LumeError, stringCodec } from '@lume/types'
 *
 * const bytes = encode(stringCodec, 'hello')        // 0x05 ‖ "hello"
 * decode(stringCodec, bytes)                         // 'hello'
 * try { decode(stringCodec, bytes.subarray(0, 3)) } catch (err) {
 *   LumeError.hasCode(err, ErrorCode.BAD_FRAME)      // true: short input from a peer
 * }
 * ```
 */
export * from './lib/errors.js'
export * from './lib/assert.js'
export * from './lib/hex.js'
export * from './lib/bytes.js'
export * from './lib/constants.js'
export * from './lib/codec.js'
export * from './lib/codecs.js'
export * from './lib/logger.js'
export * from './lib/events.js'
export * from './lib/lifecycle.js'
export * from './lib/budget.js'
export * from './lib/token-bucket.js'
export * from './lib/bounded-map.js'
export * from './lib/backoff.js'
export * from './lib/open-within.js'
export * from './lib/method.js'
export * from './lib/signed-answer.js'
export * from './lib/plugin.js'
export * from './lib/peer-dependency.js'
