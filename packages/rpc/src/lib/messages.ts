import c from 'compact-encoding'
import { cappedArray, hashCodec, LumeError, publicKeyCodec, signatureCodec, uintCodec, wireErrorCodec, type Codec, type EncodingState, type WireError } from '@lume/types'
import type { InclusionProof } from '@lume/types'
import { AnswerFlag, RequestFlag, ResponseKind, RPC_VERSION } from './constants.js'

/** A request as carried in protomux-rpc's value: `version u8 ‖ flags u8 ‖ body (rest)`. */
export interface RequestEnvelope {
  sign: boolean
  body: Uint8Array
}

/** The signature part of a signed answer. */
export interface AnswerSignature {
  timestamp: number
  signature: Uint8Array
  proof: InclusionProof
  /** Who signed, when it is not the relay that sent the answer (a cached answer). */
  signer?: Uint8Array
}

/** Most siblings in an inclusion proof (a batch of at most 2^16 answers). */
const MAX_PROOF_DEPTH = 16

/** `index uint ‖ count uint ‖ siblings (≤ 16 × 32 bytes)`. */
export const proofCodec: Codec<InclusionProof> = {
  preencode (state, p) {
    c.uint.preencode(state, p.index)
    c.uint.preencode(state, p.count)
    cappedArray(hashCodec, MAX_PROOF_DEPTH).preencode(state, p.siblings)
  },
  encode (state, p) {
    uintCodec.encode(state, p.index)
    uintCodec.encode(state, p.count)
    cappedArray(hashCodec, MAX_PROOF_DEPTH).encode(state, p.siblings)
  },
  decode (state) {
    return { index: c.uint.decode(state), count: c.uint.decode(state), siblings: cappedArray(hashCodec, MAX_PROOF_DEPTH).decode(state) }
  }
}

/** `timestamp uint ‖ signature (64) ‖ proof`. */
export const answerSignatureCodec: Codec<AnswerSignature> = {
  preencode (state, s) {
    c.uint.preencode(state, s.timestamp)
    state.end += 64
    proofCodec.preencode(state, s.proof)
  },
  encode (state, s) {
    uintCodec.encode(state, s.timestamp)
    signatureCodec.encode(state, s.signature)
    proofCodec.encode(state, s.proof)
  },
  decode (state) {
    return { timestamp: c.uint.decode(state), signature: c.fixed64.decode(state), proof: proofCodec.decode(state) }
  }
}

/** A response as carried in protomux-rpc's value: `version u8 ‖ kind u8 ‖ …`. */
export type ResponseEnvelope =
  | { kind: typeof ResponseKind.OK, body: Uint8Array, signature: AnswerSignature | null }
  | { kind: typeof ResponseKind.ERROR, error: WireError }
  | { kind: typeof ResponseKind.STREAM, streamId: number }
  | { kind: typeof ResponseKind.END }

function checkVersion (state: EncodingState): void {
  const version = c.uint8.decode(state)
  if (version !== RPC_VERSION) throw LumeError.badFrame(`unsupported RPC version ${version}`)
}

// Flags are strict: a bit this version does not define is a BAD_FRAME (a new
// flag comes with a new version), so no two byte strings decode alike.
function decodeFlags (state: EncodingState, known: number, what: string): number {
  const flags = c.uint8.decode(state)
  if ((flags & ~known) !== 0) throw LumeError.badFrame(`unknown ${what} flags 0x${flags.toString(16)}`)
  return flags
}

/** Codec of {@link RequestEnvelope}. */
export const requestEnvelope: Codec<RequestEnvelope> = {
  preencode (state, m) {
    state.end += 2
    c.raw.preencode(state, m.body)
  },
  encode (state, m) {
    c.uint8.encode(state, RPC_VERSION)
    c.uint8.encode(state, m.sign ? RequestFlag.SIGN : 0)
    c.raw.encode(state, m.body)
  },
  decode (state) {
    checkVersion(state)
    const flags = decodeFlags(state, RequestFlag.SIGN, 'request')
    return { sign: (flags & RequestFlag.SIGN) !== 0, body: c.raw.decode(state) }
  }
}

/** Codec of {@link ResponseEnvelope}. */
export const responseEnvelope: Codec<ResponseEnvelope> = {
  preencode (state, m) {
    state.end += 2
    switch (m.kind) {
      case ResponseKind.OK:
        state.end += 1
        c.uint8array.preencode(state, m.body)
        if (m.signature !== null) answerSignatureCodec.preencode(state, m.signature)
        if (m.signature?.signer !== undefined) state.end += 32
        break
      case ResponseKind.ERROR: wireErrorCodec.preencode(state, m.error); break
      case ResponseKind.STREAM: c.uint.preencode(state, m.streamId); break
      case ResponseKind.END: break
    }
  },
  encode (state, m) {
    c.uint8.encode(state, RPC_VERSION)
    c.uint8.encode(state, m.kind)
    switch (m.kind) {
      case ResponseKind.OK:
        c.uint8.encode(state, (m.signature === null ? 0 : AnswerFlag.SIGNED) | (m.signature?.signer === undefined ? 0 : AnswerFlag.SIGNER))
        c.uint8array.encode(state, m.body)
        if (m.signature !== null) answerSignatureCodec.encode(state, m.signature)
        if (m.signature?.signer !== undefined) publicKeyCodec.encode(state, m.signature.signer)
        break
      case ResponseKind.ERROR: wireErrorCodec.encode(state, m.error); break
      case ResponseKind.STREAM: uintCodec.encode(state, m.streamId); break
      case ResponseKind.END: break
    }
  },
  decode (state) {
    checkVersion(state)
    const kind = c.uint8.decode(state)
    switch (kind) {
      case ResponseKind.OK: {
        const flags = decodeFlags(state, AnswerFlag.SIGNED | AnswerFlag.SIGNER, 'answer')
        if (flags === AnswerFlag.SIGNER) throw LumeError.badFrame('answer names a signer but carries no signature')
        const body = c.uint8array.decode(state)
        const signature = (flags & AnswerFlag.SIGNED) === 0 ? null : answerSignatureCodec.decode(state)
        if (signature !== null && (flags & AnswerFlag.SIGNER) !== 0) signature.signer = c.fixed32.decode(state)
        return { kind, body, signature }
      }
      case ResponseKind.ERROR: return { kind, error: wireErrorCodec.decode(state) }
      case ResponseKind.STREAM: return { kind, streamId: c.uint.decode(state) }
      case ResponseKind.END: return { kind }
      default: throw LumeError.badFrame(`unknown response kind ${kind}`)
    }
  }
}
