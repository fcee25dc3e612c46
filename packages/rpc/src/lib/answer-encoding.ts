import c from 'compact-encoding'
import { encode, equalBytes, type Codec, type EncodingState } from '@lume/types'
import { RequestFlag, ResponseKind, RPC_VERSION } from './constants.js'
import type { BatchSigner } from './batch-signer.js'
import { responseEnvelope } from './messages.js'
import { answerLeaf, requestHash } from './signed-answer.js'
import type { SignedAnswer } from '@lume/types'

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

/**
 * `version ‖ OK ‖ flags=0 ‖ body (varint length)`, body encoded in place.
 * Returns the bytes and where the body lies in them.
 */
export function encodeAnswer<T> (codec: Codec<T>, value: T): { bytes: Uint8Array, body: Uint8Array } {
  const sizing: EncodingState = { start: 0, end: 0, buffer: null }
  codec.preencode(sizing, value)
  const bodyBytes = sizing.end
  const state: EncodingState = { start: 0, end: 3, buffer: null }
  c.uint.preencode(state, bodyBytes)
  state.end += bodyBytes
  const buffer = new Uint8Array(state.end)
  state.buffer = buffer
  c.uint8.encode(state, RPC_VERSION)
  c.uint8.encode(state, ResponseKind.OK)
  c.uint8.encode(state, 0)
  c.uint.encode(state, bodyBytes)
  const bodyStart = state.start
  codec.encode(state, value)
  return { bytes: buffer, body: buffer.subarray(bodyStart, state.start) }
}

/** Who signs answers on a connection, and for which request. */
export interface AnswerSigner {
  relayPublicKey: Uint8Array
  batch: BatchSigner
  method: string
  requestBody: Uint8Array
}

/** The signed form of an answer whose body is already encoded: the batch signer signs it with others. */
export async function signAnswerBody (signer: AnswerSigner, body: Uint8Array): Promise<{ bytes: Uint8Array, answer: SignedAnswer }> {
  const timestamp = Date.now()
  const hash = requestHash(signer.method, signer.requestBody)
  const leaf = answerLeaf(signer.relayPublicKey, hash, timestamp, body)
  const { signature, proof } = await signer.batch.sign(leaf)
  const bytes = encode(responseEnvelope, { kind: ResponseKind.OK, body, signature: { timestamp, signature, proof } })
  return { bytes, answer: { relayPublicKey: signer.relayPublicKey, requestHash: hash, body, timestamp, signature, proof } }
}

/** A stored signed answer, re-served as it was signed (with its signer's key when that is another relay). */
export function encodeCachedAnswer (answer: SignedAnswer, servingKey: Uint8Array): Uint8Array {
  const other = !equalBytes(answer.relayPublicKey, servingKey)
  const signature = { timestamp: answer.timestamp, signature: answer.signature, proof: answer.proof, ...(other ? { signer: answer.relayPublicKey } : {}) }
  return encode(responseEnvelope, { kind: ResponseKind.OK, body: answer.body, signature })
}
