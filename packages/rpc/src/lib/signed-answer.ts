import c from 'compact-encoding'
import { sha256, sign, verify, SigningContext, toHex, type KeyPair } from '@lume/types'
import { leafHash, rootFromProof, type InclusionProof } from './merkle.js'

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
 * came over: the relay's key, the request hash, the response bytes, the time
 * (ms since the epoch) it answered, and the signature over the root of the
 * batch the answer was signed in, with the answer's inclusion proof.
 */
export interface SignedAnswer {
  relayPublicKey: Uint8Array
  requestHash: Uint8Array
  body: Uint8Array
  timestamp: number
  signature: Uint8Array
  proof: InclusionProof
}

/** The data of an answer's leaf: relay key ‖ request hash ‖ timestamp u64 LE ‖ body. */
export function answerMessage (relayPublicKey: Uint8Array, hash: Uint8Array, timestamp: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(32 + 32 + 8 + body.byteLength)
  out.set(relayPublicKey, 0)
  out.set(hash, 32)
  new DataView(out.buffer).setBigUint64(64, BigInt(timestamp), true)
  out.set(body, 72)
  return out
}

/** The Merkle leaf of an answer: SHA-256(0x00 ‖ answerMessage). */
export function answerLeaf (relayPublicKey: Uint8Array, hash: Uint8Array, timestamp: number, body: Uint8Array): Uint8Array {
  return leafHash(answerMessage(relayPublicKey, hash, timestamp, body))
}

/** Sign a batch root: ed25519 under `lume/rpc/response/v1` over relay key ‖ root. */
export function signRoot (keyPair: KeyPair, root: Uint8Array): Uint8Array {
  return sign(SigningContext.RPC_RESPONSE, rootMessage(keyPair.publicKey, root), keyPair.secretKey)
}

function rootMessage (relayPublicKey: Uint8Array, root: Uint8Array): Uint8Array {
  const out = new Uint8Array(64)
  out.set(relayPublicKey, 0)
  out.set(root, 32)
  return out
}

/**
 * Roots whose signatures already verified: the other answers of a batch then
 * cost a few hashes instead of an ed25519 verification each.
 */
export class VerifiedRoots {
  private readonly seen = new Map<string, true>()

  constructor (private readonly capacity = 4096) {}

  has (key: string): boolean {
    return this.seen.has(key)
  }

  add (key: string): void {
    if (this.seen.size >= this.capacity) this.seen.delete(this.seen.keys().next().value as string)
    this.seen.set(key, true)
  }
}

/**
 * True when `answer` is the relay's signed answer to exactly this request.
 * Pass the hash of the request *you* sent: an answer replayed from another
 * request fails. `cache` skips re-verifying a root signature seen before.
 */
export function verifyAnswer (answer: SignedAnswer, expectedRequestHash: Uint8Array, cache?: VerifiedRoots): boolean {
  if (answer.requestHash.byteLength !== 32 || !bytesEqual(answer.requestHash, expectedRequestHash)) return false
  if (answer.relayPublicKey.byteLength !== 32 || answer.signature.byteLength !== 64) return false
  if (!Number.isSafeInteger(answer.timestamp) || answer.timestamp < 0) return false
  const leaf = answerLeaf(answer.relayPublicKey, answer.requestHash, answer.timestamp, answer.body)
  const root = rootFromProof(leaf, answer.proof)
  if (root === null) return false
  const message = rootMessage(answer.relayPublicKey, root)
  const key = cache === undefined ? '' : toHex(concat(message, answer.signature))
  if (cache?.has(key) === true) return true
  const ok = verify(SigningContext.RPC_RESPONSE, message, answer.signature, answer.relayPublicKey)
  if (ok) cache?.add(key)
  return ok
}

function concat (a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength)
  out.set(a, 0)
  out.set(b, a.byteLength)
  return out
}

function bytesEqual (a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  let diff = 0
  for (let i = 0; i < a.byteLength; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}
