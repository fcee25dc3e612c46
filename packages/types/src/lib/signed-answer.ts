/** A Merkle inclusion proof: where a leaf sits in a batch and the hashes up to the root. */
export interface InclusionProof {
  /** The leaf's position, 0-based. */
  index: number
  /** Number of leaves in the tree. */
  count: number
  /** Sibling hashes from the leaf up. */
  siblings: Uint8Array[]
}

/**
 * An answer a relay signed, verifiable by anyone without the connection it
 * came over (and so re-servable from caches): the relay's key, the request
 * hash, the response bytes, the time (ms since the epoch) it answered, and the
 * signature over the root of the batch the answer was signed in, with the
 * answer's inclusion proof. See docs/protocol.md, "Signed answers".
 */
export interface SignedAnswer {
  /** The signing relay's public key, 32 bytes. */
  relayPublicKey: Uint8Array
  /** SHA-256(string method ‖ request body): the question this answers. */
  requestHash: Uint8Array
  /** The encoded answer. */
  body: Uint8Array
  /** When the relay answered, ms since the epoch. */
  timestamp: number
  /** The relay's signature over the batch root, 64 bytes. */
  signature: Uint8Array
  /** The answer's place in the signed batch. */
  proof: InclusionProof
}
