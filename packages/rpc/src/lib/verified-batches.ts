import type { InclusionProof } from '@lume/types'
import { MAX_TREE_LEAVES, nodeHash } from './merkle.js'

/**
 * The nodes of signed batch trees that are known to hash into a root whose
 * signature verified, by position. A node on a verified proof's path is
 * authenticated, and so is every sibling hashed into it; another answer of
 * the same batch then needs its leaf hashed and, usually, no inner node at
 * all: its walk stops at the first position already known, and the rest of
 * its proof is compared with the known siblings instead of hashed.
 *
 * Positions are the proof walk's (fn, sn) of RFC 9162 §2.1.3.2: for one tree
 * size, sn names the level and fn the node on it (a lone right-edge node has
 * the same value at each level it is promoted through, as in the tree).
 */
export class VerifiedBatches {
  // Keyed by 48 bits of the signature; key and signature compared in full on a hit.
  private readonly batches = new Map<number, Batch>()
  private held = 0

  /** @param capacity most nodes held over all batches (each ~100 bytes); the oldest batches go first */
  constructor (private readonly capacity: number) {}

  /**
   * Decide an answer's leaf and proof against a batch verified before: true
   * when the leaf and every sibling match the signed tree, false when any
   * differs, undefined when no batch with this key, signature and size is
   * known (or not enough of it): then verify it in full.
   */
  check (relayPublicKey: Uint8Array, signature: Uint8Array, leaf: Uint8Array, proof: InclusionProof): boolean | undefined {
    const batch = this.find(relayPublicKey, signature, proof.count)
    if (batch === undefined || !validShape(proof)) return undefined
    const siblings = proof.siblings
    const walk = new Walk(proof)
    // The nodes hashed on the way (most answers hit at their leaf: none).
    const path: Uint8Array[] = []
    let r = leaf
    for (let step = 0; step <= siblings.length; step++) {
      const known = batch.nodes.get(position(walk.fn, walk.sn))
      if (known !== undefined) {
        if (!equal32(known, r)) return false
        const rest = restMatches(batch, siblings, step, walk.fn, walk.sn)
        // The nodes hashed on the way up are known now too.
        if (rest === true && step > 0) this.addTo(batch, new Walk(proof).record(path, siblings))
        return rest
      }
      if (step === siblings.length || walk.sn === 0) return undefined
      const p = siblings[step] as Uint8Array
      if (p.byteLength !== 32) return false
      path.push(r)
      r = walk.climb(r, p)
    }
    return undefined
  }

  /**
   * Remember the nodes a `walkRecording` went through, once the root it
   * reached is known to be signed by `relayPublicKey` with `signature`.
   */
  remember (relayPublicKey: Uint8Array, signature: Uint8Array, count: number, nodes: Recorded): void {
    if (this.capacity === 0) return
    let batch = this.find(relayPublicKey, signature, count)
    if (batch === undefined) {
      batch = { relayPublicKey: new Uint8Array(relayPublicKey), signature: new Uint8Array(signature), count, nodes: new Map() }
      const key = signatureKey(signature)
      const old = this.batches.get(key)
      if (old !== undefined) { this.held -= old.nodes.size; this.batches.delete(key) }
      this.batches.set(key, batch)
    }
    this.addTo(batch, nodes)
  }

  private find (relayPublicKey: Uint8Array, signature: Uint8Array, count: number): Batch | undefined {
    if (signature.byteLength !== 64 || relayPublicKey.byteLength !== 32) return undefined
    const batch = this.batches.get(signatureKey(signature))
    if (batch === undefined || batch.count !== count) return undefined
    for (let i = 0; i < 64; i++) if (batch.signature[i] !== signature[i]) return undefined
    for (let i = 0; i < 32; i++) if (batch.relayPublicKey[i] !== relayPublicKey[i]) return undefined
    return batch
  }

  // All of a walk's nodes or none: a known node's sibling and everything above it stay known.
  private addTo (batch: Batch, nodes: Recorded): void {
    let fresh = 0
    for (const key of nodes.positions) if (!batch.nodes.has(key)) fresh++
    if (fresh === 0) return
    while (this.held + fresh > this.capacity && this.batches.size > 0) {
      const [oldestKey, oldest] = this.batches.entries().next().value as [number, Batch]
      this.batches.delete(oldestKey)
      this.held -= oldest.nodes.size
      if (oldest === batch) return
    }
    if (this.held + fresh > this.capacity) return
    for (let i = 0; i < nodes.positions.length; i++) {
      const key = nodes.positions[i] as number
      if (batch.nodes.has(key)) continue
      const node = nodes.values[i] as Uint8Array
      // Siblings are the caller's (it may change them later): copied. Nodes hashed here are ours.
      batch.nodes.set(key, nodes.theirs[i] === true ? new Uint8Array(node) : node)
      this.held++
    }
  }
}

/** Nodes a walk went through, by position; `theirs` marks the caller's bytes (the siblings; the leaf and inner nodes are hashed here). */
export interface Recorded { positions: number[], values: Uint8Array[], theirs: boolean[] }

interface Batch {
  relayPublicKey: Uint8Array
  signature: Uint8Array
  count: number
  /** position(fn, sn) → node */
  nodes: Map<number, Uint8Array>
}

/** The position (fn, sn) of a proof walk, as `walkProof` moves it (RFC 9162 §2.1.3.2). */
class Walk {
  fn: number
  sn: number
  constructor (proof: InclusionProof) {
    this.fn = proof.index
    this.sn = proof.count - 1
  }

  /** The sibling's position at this step (a lone right-edge node first rises to its left sibling's level). */
  siblingPosition (): number {
    if ((this.fn & 1) === 1 || this.fn === this.sn) {
      while ((this.fn & 1) === 0 && this.fn !== 0) { this.fn >>= 1; this.sn >>= 1 }
      return position(this.fn - 1, this.sn)
    }
    return position(this.fn + 1, this.sn)
  }

  /** Hash `r` with sibling `p` and move up. */
  climb (r: Uint8Array, p: Uint8Array): Uint8Array {
    const left = (this.fn & 1) === 1 || this.fn === this.sn
    this.siblingPosition()
    this.fn >>= 1
    this.sn >>= 1
    return left ? nodeHash(p, r) : nodeHash(r, p)
  }

  /** Record the positions of `path` (nodes hashed here, from the leaf up) and of their siblings, walking from here (the start). */
  record (path: readonly Uint8Array[], siblings: readonly Uint8Array[]): Recorded {
    const out: Recorded = { positions: [], values: [], theirs: [] }
    for (let i = 0; i < path.length; i++) {
      out.positions.push(position(this.fn, this.sn)); out.values.push(path[i] as Uint8Array); out.theirs.push(false)
      out.positions.push(this.siblingPosition()); out.values.push(siblings[i] as Uint8Array); out.theirs.push(true)
      this.fn >>= 1
      this.sn >>= 1
    }
    return out
  }
}

/**
 * Walk a proof from `leaf` to its root (as `walkProof`), recording every
 * node and sibling by position in `out`: the root, or null if the proof is malformed.
 */
export function walkRecording (leaf: Uint8Array, proof: InclusionProof, out: Recorded): Uint8Array | null {
  if (!validShape(proof)) return null
  const walk = new Walk(proof)
  let r = leaf
  for (const p of proof.siblings) {
    if (walk.sn === 0 || p.byteLength !== 32) return null
    out.positions.push(position(walk.fn, walk.sn)); out.values.push(r); out.theirs.push(false)
    const left = (walk.fn & 1) === 1 || walk.fn === walk.sn
    out.positions.push(walk.siblingPosition()); out.values.push(p); out.theirs.push(true)
    walk.fn >>= 1
    walk.sn >>= 1
    r = left ? nodeHash(p, r) : nodeHash(r, p)
  }
  if (walk.sn !== 0) return null
  out.positions.push(position(0, 0)); out.values.push(r); out.theirs.push(false)
  return r
}

function validShape (proof: InclusionProof): boolean {
  const { index, count } = proof
  return Number.isInteger(index) && Number.isInteger(count) && index >= 0 && index < count && count <= MAX_TREE_LEAVES
}

function position (fn: number, sn: number): number {
  return fn * (MAX_TREE_LEAVES + 1) + sn
}

function signatureKey (signature: Uint8Array): number {
  return ((signature[0] as number) | ((signature[1] as number) << 8) | ((signature[2] as number) << 16)) + ((signature[3] as number) | ((signature[4] as number) << 8) | ((signature[5] as number) << 16)) * 0x100_0000
}

/** Every sibling from `step` on equals the known node at its position; undefined when a position is unknown. */
function restMatches (batch: Batch, siblings: readonly Uint8Array[], step: number, fn: number, sn: number): boolean | undefined {
  for (let i = step; i < siblings.length; i++) {
    if (sn === 0) return false
    let at: number
    if ((fn & 1) === 1 || fn === sn) {
      while ((fn & 1) === 0 && fn !== 0) { fn >>= 1; sn >>= 1 }
      at = position(fn - 1, sn)
    } else {
      at = position(fn + 1, sn)
    }
    const known = batch.nodes.get(at)
    const sibling = siblings[i] as Uint8Array
    if (known === undefined) return undefined
    if (sibling.byteLength !== 32 || !equal32(known, sibling)) return false
    fn >>= 1
    sn >>= 1
  }
  return sn === 0
}

function equal32 (a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false
  return true
}
