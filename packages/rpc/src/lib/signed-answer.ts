import c from 'compact-encoding'
import { sha256 } from '@noble/hashes/sha2.js'
import { sign, verify, SigningContext } from '@lume/types'

/**
 * The hash that binds an answer to its request: SHA-256(string method ‖ body).
 * It names the question, not who asked, so a cached answer can be re-served
 * to anyone asking the same — but never to a different question.
 */
export function requestHash (method: string, body: Uint8Array): Uint8Array {
  const state = c.state()
  c.string.preencode(state, method)
  c.raw.preencode(state, body)
  state.buffer = new Uint8Array(state.end)
  c.string.encode(state, method)
  c.raw.encode(state, body)
  return sha256(state.buffer)
}

/**
 * An answer a relay signed, verifiable by anyone without the connection it
 * came over: the relay's key, the request hash, the response bytes and the
 * time (ms since the epoch) it answered.
 */
export interface SignedAnswer {
  relayPublicKey: Uint8Array
  requestHash: Uint8Array
  body: Uint8Array
  timestamp: number
  signature: Uint8Array
}

/** The message a relay signs (under `lume/rpc/response/v1`): relay key ‖ request hash ‖ timestamp u64 LE ‖ body. */
export function answerMessage (relayPublicKey: Uint8Array, hash: Uint8Array, timestamp: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(32 + 32 + 8 + body.byteLength)
  out.set(relayPublicKey, 0)
  out.set(hash, 32)
  new DataView(out.buffer).setBigUint64(64, BigInt(timestamp), true)
  out.set(body, 72)
  return out
}

/** Sign an answer with the relay's secret key. */
export function signAnswer (secretKey: Uint8Array, relayPublicKey: Uint8Array, hash: Uint8Array, timestamp: number, body: Uint8Array): Uint8Array {
  return sign(SigningContext.RPC_RESPONSE, answerMessage(relayPublicKey, hash, timestamp, body), secretKey)
}

/**
 * True when `answer` is the relay's signature over exactly this request hash
 * and body. Pass the hash of the request *you* sent: an answer replayed from
 * another request fails.
 */
export function verifyAnswer (answer: SignedAnswer, expectedRequestHash: Uint8Array): boolean {
  if (answer.requestHash.byteLength !== 32 || !bytesEqual(answer.requestHash, expectedRequestHash)) return false
  return verify(SigningContext.RPC_RESPONSE, answerMessage(answer.relayPublicKey, answer.requestHash, answer.timestamp, answer.body), answer.signature, answer.relayPublicKey)
}

function bytesEqual (a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  let diff = 0
  for (let i = 0; i < a.byteLength; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}
