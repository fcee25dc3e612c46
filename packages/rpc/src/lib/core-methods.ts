import c from 'compact-encoding'
import {
  bytesCodec, cappedArray, emptyCodec, jsonCodec, LumeError, publicKeyCodec, toHex, uintCodec, wireErrorCodec,
  type Codec, type WireError
} from '@lume/types'
import type { MethodSpec, SignedAnswer } from '@lume/types'
import { answerSignatureCodec, type AnswerSignature } from './messages.js'
import { requestHash, verifyAnswer } from './signed-answer.js'

/** Most relays one `rpc.broadcast` may name. */
export const MAX_BROADCAST_RELAYS = 16

/** What `core.info` answers. */
export interface RelayInfo {
  /** Software version of the relay. */
  version: string
  /** Hex public key. */
  publicKey: string
  /** Plugins that started. */
  plugins: string[]
  /** Every method the relay serves. */
  methods: string[]
}

/** `rpc.broadcast` request: ask these relays this method with these bytes. */
export interface BroadcastRequest {
  relays: Uint8Array[]
  method: string
  body: Uint8Array
  /** Per-relay time limit. */
  timeoutMs: number
}

/** One relay's outcome in a broadcast: its signed answer, or why there is none. */
export type BroadcastEntry =
  | { relay: Uint8Array, ok: true, body: Uint8Array, signature: AnswerSignature }
  | { relay: Uint8Array, ok: false, error: WireError }

const broadcastRequestCodec: Codec<BroadcastRequest> = {
  preencode (state, m) {
    cappedArray(publicKeyCodec, MAX_BROADCAST_RELAYS).preencode(state, m.relays)
    c.string.preencode(state, m.method)
    bytesCodec.preencode(state, m.body)
    uintCodec.preencode(state, m.timeoutMs)
  },
  encode (state, m) {
    cappedArray(publicKeyCodec, MAX_BROADCAST_RELAYS).encode(state, m.relays)
    c.string.encode(state, m.method)
    bytesCodec.encode(state, m.body)
    uintCodec.encode(state, m.timeoutMs)
  },
  decode (state) {
    return {
      relays: cappedArray(publicKeyCodec, MAX_BROADCAST_RELAYS).decode(state),
      method: c.string.decode(state),
      body: bytesCodec.decode(state),
      timeoutMs: uintCodec.decode(state)
    }
  }
}

const broadcastEntryCodec: Codec<BroadcastEntry> = {
  preencode (state, e) {
    state.end += 33
    if (e.ok) {
      bytesCodec.preencode(state, e.body)
      answerSignatureCodec.preencode(state, e.signature)
    } else {
      wireErrorCodec.preencode(state, e.error)
    }
  },
  encode (state, e) {
    publicKeyCodec.encode(state, e.relay)
    c.uint8.encode(state, e.ok ? 0 : 1)
    if (e.ok) {
      bytesCodec.encode(state, e.body)
      answerSignatureCodec.encode(state, e.signature)
    } else {
      wireErrorCodec.encode(state, e.error)
    }
  },
  decode (state) {
    const relay = publicKeyCodec.decode(state)
    const kind = c.uint8.decode(state)
    if (kind === 0) return { relay, ok: true, body: bytesCodec.decode(state), signature: answerSignatureCodec.decode(state) }
    if (kind === 1) return { relay, ok: false, error: wireErrorCodec.decode(state) }
    throw LumeError.badFrame(`unknown broadcast entry kind ${kind}`)
  }
}

/** The methods every relay serves. */
export const CoreMethods = {
  /** Liveness; answers the relay's clock (ms since the epoch). */
  ping: { name: 'core.ping', request: emptyCodec, response: uintCodec } satisfies MethodSpec<null, number>,
  /** Version, key, plugins and methods of the relay. */
  info: { name: 'core.info', request: emptyCodec, response: jsonCodec as unknown as Codec<RelayInfo> } satisfies MethodSpec<null, RelayInfo>,
  /**
   * Forward a request to named relays and return each one's signed answer.
   * The forwarding relay cannot forge answers: verify them with {@link verifyBroadcast}.
   */
  broadcast: {
    name: 'rpc.broadcast',
    request: broadcastRequestCodec,
    response: cappedArray(broadcastEntryCodec, MAX_BROADCAST_RELAYS)
  } satisfies MethodSpec<BroadcastRequest, BroadcastEntry[]>
} as const

/** One relay's verified outcome of a broadcast. */
export type VerifiedBroadcastEntry =
  | { relay: Uint8Array, ok: true, answer: SignedAnswer }
  | { relay: Uint8Array, ok: false, reason: string }

/**
 * Check every answer of a broadcast against the request *you* sent: each must
 * be signed by the relay it claims to be from, over this method and body, and
 * come from a relay you asked (once). Anything else is reported as not ok.
 */
export function verifyBroadcast (request: BroadcastRequest, entries: readonly BroadcastEntry[]): VerifiedBroadcastEntry[] {
  const hash = requestHash(request.method, request.body)
  const asked = new Set(request.relays.map(toHex))
  const seen = new Set<string>()
  return entries.map((entry) => {
    const key = toHex(entry.relay)
    if (!asked.has(key)) return { relay: entry.relay, ok: false, reason: 'not a relay that was asked' }
    if (seen.has(key)) return { relay: entry.relay, ok: false, reason: 'duplicate answer' }
    seen.add(key)
    if (!entry.ok) return { relay: entry.relay, ok: false, reason: `${entry.error.code}: ${entry.error.message}` }
    const answer: SignedAnswer = { relayPublicKey: entry.relay, requestHash: hash, body: entry.body, ...entry.signature }
    return verifyAnswer(answer, hash) ? { relay: entry.relay, ok: true, answer } : { relay: entry.relay, ok: false, reason: 'signature does not verify' }
  })
}

/** A codec that passes bytes through as they are (for forwarding). */
export const rawBytesCodec: Codec<Uint8Array> = c.raw
