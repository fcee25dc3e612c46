import type { KeyPair } from '@lume/crypto'
import { buildTree } from './merkle.js'
import { signRoot } from './signed-answer.js'
import type { InclusionProof } from '@lume/types'

interface Waiting {
  leaf: Uint8Array
  resolve: (result: { signature: Uint8Array, proof: InclusionProof }) => void
}

// setImmediate runs after the I/O of this loop turn: every request that
// arrived in it joins the batch. Browsers lack it; a 0 ms timer does the same there.
const later: (fn: () => void) => void = typeof globalThis.setImmediate === 'function'
  ? (fn) => { globalThis.setImmediate(fn) }
  : (fn) => { setTimeout(fn, 0) }

/**
 * Signs answers in batches: every answer asked for in one event-loop turn
 * becomes a leaf of one Merkle tree, and one ed25519 signature over its root
 * covers them all. A lone answer is a tree of one (no extra latency).
 */
export class BatchSigner {
  private queue: Waiting[] = []

  constructor (private readonly keyPair: KeyPair, private readonly maxBatch = 1024) {}

  /** The signature and inclusion proof for one leaf (see `answerLeaf`). */
  async sign (leaf: Uint8Array): Promise<{ signature: Uint8Array, proof: InclusionProof }> {
    return await new Promise((resolve) => {
      this.queue.push({ leaf, resolve })
      if (this.queue.length === 1) later(() => this.flush())
      else if (this.queue.length >= this.maxBatch) this.flush()
    })
  }

  private flush (): void {
    const batch = this.queue
    if (batch.length === 0) return
    this.queue = []
    const { root, proofs } = buildTree(batch.map((w) => w.leaf))
    const signature = signRoot(this.keyPair, root)
    batch.forEach((w, i) => w.resolve({ signature, proof: proofs[i] as InclusionProof }))
  }
}
