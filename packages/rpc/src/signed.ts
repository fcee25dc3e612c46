/**
 * @packageDocumentation
 * Signed answers and their Merkle batches: what a relay signs, and how a
 * client, a cache or another relay checks it (see docs/protocol.md, "Signed
 * answers"). `RpcConnection.callSigned` already verifies; this entry is for
 * the packages that keep, re-serve or re-check answers.
 *
 * @example
 * ```ts
 * import { requestHash, verifyAnswer } from '@lume/rpc/signed'
 *
 * const hash = requestHash('demo.echo', requestBytes)
 * verifyAnswer(answer, hash) // throws BAD_SIGNATURE unless the relay signed this answer to this request
 * ```
 */
export { requestHash, answerMessage, answerLeaf, signRoot, verifyAnswer, verifyAnswerAsync, VerifiedRoots } from './lib/signed-answer.js'
export { buildTree, rootFromProof, walkProof, STOPPED, leafHash, nodeHash, MAX_TREE_LEAVES, type ProofVisitor } from './lib/merkle.js'
export { BatchSigner } from './lib/batch-signer.js'
export { proofCodec, answerSignatureCodec, type AnswerSignature } from './lib/messages.js'
export { VerifiedBatches, type Recorded } from './lib/verified-batches.js'
