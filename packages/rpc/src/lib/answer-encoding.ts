import c from 'compact-encoding'
import type { Codec, EncodingState, KeyPair } from '@lume/types'
import { AnswerFlag, RequestFlag, ResponseKind, RPC_VERSION } from './constants.js'
import { requestHash, signAnswer } from './signed-answer.js'

// The hot path writes envelope and body in one buffer: no second allocation,
// no copy of the body. The bytes are the same as requestEnvelope /
// responseEnvelope would produce (tests check both ways).

/** `version ‖ flags ‖ body` for a request, body encoded in place. */
export function encodeRequest<T> (codec: Codec<T>, value: T, sign: boolean): Uint8Array {
  const state: EncodingState = { start: 0, end: 2, buffer: null }
  codec.preencode(state, value)
  const buffer = new Uint8Array(state.end)
  buffer[0] = RPC_VERSION
  buffer[1] = sign ? RequestFlag.SIGN : 0
  state.buffer = buffer
  state.start = 2
  codec.encode(state, value)
  return buffer
}

/** The signer of answers: the relay's key pair. */
export interface AnswerSigner {
  keyPair: KeyPair
  method: string
  /** The request body the answer belongs to. */
  requestBody: Uint8Array
}

/**
 * `version ‖ OK ‖ flags ‖ body (varint length) ‖ [timestamp ‖ signature]`,
 * body encoded in place and signed where it lies.
 */
export function encodeAnswer<T> (codec: Codec<T>, value: T, signer: AnswerSigner | null): { bytes: Uint8Array, bodyBytes: number } {
  const sizing: EncodingState = { start: 0, end: 0, buffer: null }
  codec.preencode(sizing, value)
  const bodyBytes = sizing.end
  const timestamp = signer === null ? 0 : Date.now()
  const state: EncodingState = { start: 0, end: 3, buffer: null }
  c.uint.preencode(state, bodyBytes)
  state.end += bodyBytes
  if (signer !== null) {
    c.uint.preencode(state, timestamp)
    state.end += 64
  }
  const buffer = new Uint8Array(state.end)
  state.buffer = buffer
  c.uint8.encode(state, RPC_VERSION)
  c.uint8.encode(state, ResponseKind.OK)
  c.uint8.encode(state, signer === null ? 0 : AnswerFlag.SIGNED)
  c.uint.encode(state, bodyBytes)
  const bodyStart = state.start
  codec.encode(state, value)
  if (signer !== null) {
    const body = buffer.subarray(bodyStart, state.start)
    const hash = requestHash(signer.method, signer.requestBody)
    c.uint.encode(state, timestamp)
    c.fixed64.encode(state, signAnswer(signer.keyPair.secretKey, signer.keyPair.publicKey, hash, timestamp, body))
  }
  return { bytes: buffer, bodyBytes }
}
