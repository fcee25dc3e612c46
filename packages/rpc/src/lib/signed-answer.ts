import c from 'compact-encoding'
import { assertLength, assertUint, BoundedMap, equalBytes, SigningContext, toHex, type SignedAnswer } from '@lume/types'
import { sha256, sign, verify, verifyAsync, type KeyPair } from '@lume/crypto'
import { rootFromProof } from './merkle.js'
import { VerifiedBatches, walkRecording, type Recorded } from './verified-batches.js'

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

/** The data of an answer's leaf: relay key ‖ request hash ‖ timestamp u64 LE ‖ body. */
export function answerMessage (relayPublicKey: Uint8Array, hash: Uint8Array, timestamp: number, body: Uint8Array): Uint8Array {
  return writeAnswerMessage(new Uint8Array(72 + body.byteLength), 0, relayPublicKey, hash, timestamp, body)
}

/** The Merkle leaf of an answer: SHA-256(0x00 ‖ answerMessage). */
export function answerLeaf (relayPublicKey: Uint8Array, hash: Uint8Array, timestamp: number, body: Uint8Array): Uint8Array {
  // Written straight after the 0x00 prefix: one buffer per answer, not two.
  return sha256(writeAnswerMessage(new Uint8Array(73 + body.byteLength), 1, relayPublicKey, hash, timestamp, body))
}

function writeAnswerMessage (out: Uint8Array, at: number, relayPublicKey: Uint8Array, hash: Uint8Array, timestamp: number, body: Uint8Array): Uint8Array {
  // A short key or hash would shift the fields; a negative or fractional time would wrap.
  assertLength('relay public key', relayPublicKey, 32)
  assertLength('request hash', hash, 32)
  assertUint('timestamp', timestamp)
  out.set(relayPublicKey, at)
  out.set(hash, at + 32)
  writeUint64LE(out, at + 64, timestamp)
  out.set(body, at + 72)
  return out
}

// Timestamps are safe integers, so two 32-bit halves hold them exactly (no BigInt on the hot path).
function writeUint64LE (out: Uint8Array, at: number, value: number): void {
  const low = value >>> 0
  const high = Math.floor(value / 0x1_0000_0000)
  for (let i = 0; i < 4; i++) {
    out[at + i] = (low >>> (8 * i)) & 0xff
    out[at + 4 + i] = (high >>> (8 * i)) & 0xff
  }
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
 * Roots whose signatures already verified, and the nodes of their trees that
 * verified proofs went through: the other answers of a batch then cost their
 * leaf hash and a few comparisons instead of an ed25519 verification and a
 * whole proof each.
 */
export class VerifiedRoots {
  // Keyed by 48 bits of the root (a hash, so well spread); the full
  // relay key ‖ root ‖ signature is compared on a hit, so a clash only evicts.
  private readonly seen: BoundedMap<number, Uint8Array>
  /** The verified trees' nodes by position (see {@link VerifiedBatches}). */
  readonly batches: VerifiedBatches
  /**
   * Root signatures being verified asynchronously, by root message ‖
   * signature: the answers of one batch that arrive together wait on one check.
   */
  readonly pending = new BoundedMap<string, Promise<boolean>>(256)

  /**
   * @param capacity most roots remembered
   * @param nodeCapacity most tree nodes remembered over all batches (each
   *   ~100 bytes; a batch of n answers has at most 2n − 1); 0 turns node
   *   memory off
   */
  constructor (capacity = 4096, readonly nodeCapacity = 4096) {
    this.seen = new BoundedMap(capacity)
    this.batches = new VerifiedBatches(nodeCapacity)
  }

  /** Did `signature` by `relayPublicKey` over `root` verify before? */
  has (relayPublicKey: Uint8Array, root: Uint8Array, signature: Uint8Array): boolean {
    if (!wellFormed(relayPublicKey, root, signature)) return false
    const entry = this.seen.get(rootKey(root))
    return entry !== undefined && equalAt(entry, 0, relayPublicKey) && equalAt(entry, 32, root) && equalAt(entry, 64, signature)
  }

  /** Remember a signature that verified. */
  add (relayPublicKey: Uint8Array, root: Uint8Array, signature: Uint8Array): void {
    if (!wellFormed(relayPublicKey, root, signature)) throw new RangeError('VerifiedRoots: a key and a root are 32 bytes, a signature 64')
    const key = rootKey(root)
    const entry = new Uint8Array(128)
    entry.set(relayPublicKey, 0)
    entry.set(root, 32)
    entry.set(signature, 64)
    this.seen.set(key, entry)
  }
}

function wellFormed (relayPublicKey: Uint8Array, root: Uint8Array, signature: Uint8Array): boolean {
  return relayPublicKey.byteLength === 32 && root.byteLength === 32 && signature.byteLength === 64
}

function rootKey (root: Uint8Array): number {
  return ((root[0] as number) | ((root[1] as number) << 8) | ((root[2] as number) << 16)) + ((root[3] as number) | ((root[4] as number) << 8) | ((root[5] as number) << 16)) * 0x100_0000
}

/**
 * True when `answer` is the relay's signed answer to exactly this request.
 * Pass the hash of the request *you* sent: an answer replayed from another
 * request fails. `cache` skips re-verifying a root signature seen before.
 */
export function verifyAnswer (answer: SignedAnswer, expectedRequestHash: Uint8Array, cache?: VerifiedRoots): boolean {
  const check = checkAnswer(answer, expectedRequestHash, cache)
  if (typeof check === 'boolean') return check
  return check.settle(verify(SigningContext.RPC_RESPONSE, check.message, answer.signature, answer.relayPublicKey))
}

/**
 * {@link verifyAnswer} for callers that can wait: the same checks, but a
 * root signature is verified with `verifyAsync` (WebCrypto's native Ed25519
 * in browsers).
 */
export async function verifyAnswerAsync (answer: SignedAnswer, expectedRequestHash: Uint8Array, cache?: VerifiedRoots): Promise<boolean> {
  const check = checkAnswer(answer, expectedRequestHash, cache)
  if (typeof check === 'boolean') return check
  if (cache === undefined) return check.settle(await verifyAsync(SigningContext.RPC_RESPONSE, check.message, answer.signature, answer.relayPublicKey))
  const key = toHex(check.message) + toHex(answer.signature)
  let pending = cache.pending.get(key)
  if (pending === undefined) {
    pending = verifyAsync(SigningContext.RPC_RESPONSE, check.message, answer.signature, answer.relayPublicKey)
    cache.pending.set(key, pending)
    const settled = pending
    const forget = (): void => { if (cache.pending.get(key) === settled) cache.pending.delete(key) }
    settled.then(forget, forget)
  }
  return check.settle(await pending)
}

/** Everything but the signature check: a verdict, or the root message to verify and what to do with the result. */
function checkAnswer (answer: SignedAnswer, expectedRequestHash: Uint8Array, cache?: VerifiedRoots): boolean | { message: Uint8Array, settle: (ok: boolean) => boolean } {
  if (answer.requestHash.byteLength !== 32 || !equalBytes(answer.requestHash, expectedRequestHash)) return false
  if (answer.relayPublicKey.byteLength !== 32 || answer.signature.byteLength !== 64) return false
  if (!Number.isSafeInteger(answer.timestamp) || answer.timestamp < 0) return false
  const leaf = answerLeaf(answer.relayPublicKey, answer.requestHash, answer.timestamp, answer.body)
  if (cache === undefined) {
    const root = rootFromProof(leaf, answer.proof)
    return root === null ? false : { message: rootMessage(answer.relayPublicKey, root), settle: (ok) => ok }
  }
  // Another answer of a batch verified before: its leaf and siblings are compared with the known tree.
  const decided = cache.batches.check(answer.relayPublicKey, answer.signature, leaf, answer.proof)
  if (decided !== undefined) return decided
  const nodes: Recorded = { positions: [], values: [], theirs: [] }
  const root = walkRecording(leaf, answer.proof, nodes)
  if (root === null) return false
  const remember = (): true => {
    cache.batches.remember(answer.relayPublicKey, answer.signature, answer.proof.count, nodes)
    return true
  }
  if (cache.has(answer.relayPublicKey, root, answer.signature)) return remember()
  return {
    message: rootMessage(answer.relayPublicKey, root),
    settle: (ok) => {
      if (!ok) return false
      cache.add(answer.relayPublicKey, root, answer.signature)
      return remember()
    }
  }
}

// Does `entry` hold `bytes` at `offset`? (No subarray views on the hot path;
// callers make sure `bytes` fits.)
function equalAt (entry: Uint8Array, offset: number, bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.byteLength; i++) if (entry[offset + i] !== bytes[i]) return false
  return true
}
