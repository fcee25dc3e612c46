import { MAX_TREE_LEAVES, nodeHash, type InclusionProof } from './merkle.js'

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
    const added: Array<[number, Uint8Array]> = []
    const siblings = proof.siblings
    let fn = proof.index
    let sn = proof.count - 1
    let r = leaf
    for (let step = 0; step <= siblings.length; step++) {
      const known = batch.nodes.get(position(fn, sn))
      if (known !== undefined) {
        if (!equal32(known, r)) return false
        const rest = restMatches(batch, siblings, step, fn, sn)
        if (rest === true) this.addTo(batch, added)
        return rest
      }
      if (step === siblings.length || sn === 0) return undefined
      const p = siblings[step] as Uint8Array
      if (p.byteLength !== 32) return false
      added.push([position(fn, sn), r])
      ;[r, fn, sn] = climb(r, p, fn, sn, added)
    }
    return undefined
  }

  /**
   * Remember the nodes a {@link walkRecording} went through, once the root it
   * reached is known to be signed by `relayPublicKey` with `signature`.
   */
  remember (relayPublicKey: Uint8Array, signature: Uint8Array, count: number, nodes: Array<[number, Uint8Array]>): void {
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
  private addTo (batch: Batch, nodes: Array<[number, Uint8Array]>): void {
    let fresh = 0
    for (const [key] of nodes) if (!batch.nodes.has(key)) fresh++
    if (fresh === 0) return
    while (this.held + fresh > this.capacity && this.batches.size > 0) {
      const [oldestKey, oldest] = this.batches.entries().next().value as [number, Batch]
      this.batches.delete(oldestKey)
      this.held -= oldest.nodes.size
      if (oldest === batch) return
    }
    if (this.held + fresh > this.capacity) return
    for (const [key, node] of nodes) {
      if (batch.nodes.has(key)) continue
      // Copies: the caller keeps its answer and may change it.
      batch.nodes.set(key, new Uint8Array(node))
      this.held++
    }
  }
}

interface Batch {
  relayPublicKey: Uint8Array
  signature: Uint8Array
  count: number
  /** position(fn, sn) → node */
  nodes: Map<number, Uint8Array>
}

/**
 * Walk a proof from `leaf` to its root (as `walkProof`), noting every node
 * and sibling by position in `nodes`: the root, or null if the proof is malformed.
 */
export function walkRecording (leaf: Uint8Array, proof: InclusionProof, nodes: Array<[number, Uint8Array]>): Uint8Array | null {
  if (!validShape(proof)) return null
  let fn = proof.index
  let sn = proof.count - 1
  let r = leaf
  for (const p of proof.siblings) {
    if (sn === 0 || p.byteLength !== 32) return null
    nodes.push([position(fn, sn), r])
    ;[r, fn, sn] = climb(r, p, fn, sn, nodes)
  }
  if (sn !== 0) return null
  nodes.push([position(0, 0), r])
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

/**
 * One step of the proof walk (as `walkProof`): hash `r` with sibling `p`,
 * noting the sibling's position in `out`; the new node and its position.
 */
function climb (r: Uint8Array, p: Uint8Array, fn: number, sn: number, out: Array<[number, Uint8Array]>): [Uint8Array, number, number] {
  if ((fn & 1) === 1 || fn === sn) {
    // A lone right-edge node rises to the level of its left sibling first.
    if ((fn & 1) === 0) while ((fn & 1) === 0 && fn !== 0) { fn >>= 1; sn >>= 1 }
    out.push([position(fn - 1, sn), p])
    r = nodeHash(p, r)
  } else {
    out.push([position(fn + 1, sn), p])
    r = nodeHash(r, p)
  }
  return [r, fn >> 1, sn >> 1]
}

/** Every sibling from `step` on equals the known node at its position; undefined when a position is unknown. */
function restMatches (batch: Batch, siblings: readonly Uint8Array[], step: number, fn: number, sn: number): boolean | undefined {
  for (let i = step; i < siblings.length; i++) {
    if (sn === 0) return false
    let at: number
    if ((fn & 1) === 1 || fn === sn) {
      if ((fn & 1) === 0) while ((fn & 1) === 0 && fn !== 0) { fn >>= 1; sn >>= 1 }
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
