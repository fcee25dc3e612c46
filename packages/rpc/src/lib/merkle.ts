import { sha256 } from '@lume/crypto'
import type { InclusionProof } from '@lume/types'

// A Merkle tree over a batch of answers, as in RFC 9162 §2.1: leaves hash as
// SHA-256(0x00 ‖ data), inner nodes as SHA-256(0x01 ‖ left ‖ right), and a
// tree of n leaves splits at the largest power of two below n. One signature
// over the root then covers every answer in the batch.

/** Most leaves in one tree (and so most siblings in a proof: 16). */
export const MAX_TREE_LEAVES = 1 << 16

/** SHA-256(0x00 ‖ data). */
export function leafHash (data: Uint8Array): Uint8Array {
  const input = new Uint8Array(data.byteLength + 1)
  input.set(data, 1)
  return sha256(input)
}

// Hashing is synchronous and copies its result out, so one input buffer
// serves every inner node (proof checks hash several per answer).
const nodeInput = new Uint8Array(65)

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash (left: Uint8Array, right: Uint8Array): Uint8Array {
  nodeInput[0] = 1
  nodeInput.set(left, 1)
  nodeInput.set(right, 33)
  return sha256(nodeInput)
}

/** The root of `leaves` (already leaf-hashed) and every leaf's inclusion proof. */
export function buildTree (leaves: readonly Uint8Array[]): { root: Uint8Array, proofs: InclusionProof[] } {
  const n = leaves.length
  if (n === 0 || n > MAX_TREE_LEAVES) throw new RangeError(`a tree needs 1..${MAX_TREE_LEAVES} leaves, got ${n}`)
  const memo = new Map<number, Uint8Array>()
  const hashOf = (start: number, end: number): Uint8Array => {
    if (end - start === 1) return leaves[start] as Uint8Array
    const key = start * (MAX_TREE_LEAVES + 1) + end
    let hash = memo.get(key)
    if (hash === undefined) {
      const k = start + largestPowerOfTwoBelow(end - start)
      hash = nodeHash(hashOf(start, k), hashOf(k, end))
      memo.set(key, hash)
    }
    return hash
  }
  const pathOf = (m: number, start: number, end: number): Uint8Array[] => {
    if (end - start === 1) return []
    const k = start + largestPowerOfTwoBelow(end - start)
    return m < k ? [...pathOf(m, start, k), hashOf(k, end)] : [...pathOf(m, k, end), hashOf(start, k)]
  }
  const root = hashOf(0, n)
  return { root, proofs: leaves.map((_, index) => ({ index, count: n, siblings: pathOf(index, 0, n) })) }
}

/** The root a proof leads to from `leaf` (already leaf-hashed), or null if the proof is malformed. */
export function rootFromProof (leaf: Uint8Array, proof: InclusionProof): Uint8Array | null {
  const root = walkProof(leaf, proof, null)
  return root === STOPPED ? null : root
}

/** What {@link walkProof} returns when its visitor ended the walk. */
export const STOPPED: unique symbol = Symbol('stopped')

/**
 * Where a proof walk stands before it hashes in sibling number `step`: the
 * node reached so far, and the position (`fn`) and last position (`sn`) at
 * this level, as in RFC 9162 §2.1.3.2. Equal states with equal siblings
 * still to come lead to the same root.
 */
export type ProofVisitor = (node: Uint8Array, step: number, fn: number, sn: number) => boolean

/**
 * Walk a proof from `leaf` up: the root, null if the proof is malformed, or
 * STOPPED when `visit` (asked before each step) returned true — it knows
 * where the rest of the walk leads.
 */
export function walkProof (leaf: Uint8Array, proof: InclusionProof, visit: ProofVisitor | null): Uint8Array | null | typeof STOPPED {
  const { index, count, siblings } = proof
  if (!Number.isInteger(index) || !Number.isInteger(count) || index < 0 || index >= count || count > MAX_TREE_LEAVES) return null
  let fn = index
  let sn = count - 1
  let r = leaf
  for (let step = 0; step < siblings.length; step++) {
    if (sn === 0) return null
    if (visit !== null && visit(r, step, fn, sn)) return STOPPED
    const p = siblings[step] as Uint8Array
    if ((fn & 1) === 1 || fn === sn) {
      r = nodeHash(p, r)
      if ((fn & 1) === 0) {
        while ((fn & 1) === 0 && fn !== 0) { fn >>= 1; sn >>= 1 }
      }
    } else {
      r = nodeHash(r, p)
    }
    fn >>= 1
    sn >>= 1
  }
  return sn === 0 ? r : null
}

function largestPowerOfTwoBelow (n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}
