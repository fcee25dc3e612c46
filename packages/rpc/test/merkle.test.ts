import { describe, expect, it } from 'vitest'
import { sha256 } from '@noble/hashes/sha2.js'
import { generateKeyPair } from '@lume/crypto'
import type { SignedAnswer } from '@lume/types'
import { answerLeaf, BatchSigner, buildTree, leafHash, nodeHash, requestHash, rootFromProof, verifyAnswer, verifyAnswerAsync, VerifiedRoots } from '../src/signed.js'

const leaves = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => leafHash(Uint8Array.of(i)))

// An independent, by-the-letter RFC 9162 §2.1.1 tree hash to check against.
function mth (d: Uint8Array[]): Uint8Array {
  if (d.length === 1) return d[0]!
  let k = 1
  while (k * 2 < d.length) k *= 2
  return sha256(Uint8Array.of(1, ...mth(d.slice(0, k)), ...mth(d.slice(k))))
}

describe('Merkle batch trees (RFC 9162 shape)', () => {
  it('hash leaves and nodes with distinct prefixes', () => {
    expect(Buffer.from(leafHash(new Uint8Array(0))).toString('hex')).toBe(Buffer.from(sha256(Uint8Array.of(0))).toString('hex'))
    const a = leafHash(Uint8Array.of(1))
    expect(Buffer.from(nodeHash(a, a)).equals(Buffer.from(sha256(Uint8Array.of(1, ...a, ...a))))).toBe(true)
  })

  it('give every leaf of every tree size up to 70 a proof to the same root', () => {
    for (let n = 1; n <= 70; n++) {
      const d = leaves(n)
      const { root, proofs } = buildTree(d)
      expect(Buffer.from(root).equals(Buffer.from(mth(d))), `n=${n}`).toBe(true)
      proofs.forEach((proof, i) => {
        expect(Buffer.from(rootFromProof(d[i]!, proof)!).equals(Buffer.from(root)), `n=${n} i=${i}`).toBe(true)
      })
    }
  })

  it('reject proofs for another leaf, index, count, or with a sibling changed', () => {
    const d = leaves(13)
    const { root, proofs } = buildTree(d)
    const p = proofs[5]!
    const same = (r: Uint8Array | null): boolean => r !== null && Buffer.from(r).equals(Buffer.from(root))
    expect(same(rootFromProof(d[6]!, p))).toBe(false)
    expect(same(rootFromProof(d[5]!, { ...p, index: 4 }))).toBe(false)
    // A count that changes the tree's shape breaks the proof (one that does not, like 12 here, leads to the same root: harmless).
    expect(same(rootFromProof(d[5]!, { ...p, count: 6 }))).toBe(false)
    expect(same(rootFromProof(d[5]!, { ...p, count: 1000 }))).toBe(false)
    expect(same(rootFromProof(d[5]!, { ...p, siblings: p.siblings.slice(1) }))).toBe(false)
    expect(same(rootFromProof(d[5]!, { ...p, siblings: [...p.siblings, p.siblings[0]!] }))).toBe(false)
    const bent = p.siblings.map((s, i) => i === 1 ? Uint8Array.from(s).fill(0) : s)
    expect(same(rootFromProof(d[5]!, { ...p, siblings: bent }))).toBe(false)
    expect(rootFromProof(d[5]!, { ...p, index: 13 })).toBeNull()
    expect(rootFromProof(d[5]!, { ...p, index: -1 })).toBeNull()
  })
})

describe('batch signing', () => {
  it('signs everything asked in one turn with one signature, each answer verifiable alone', async () => {
    const keys = generateKeyPair()
    const signer = new BatchSigner(keys)
    const hash = requestHash('x.y', Uint8Array.of(1))
    const bodies = Array.from({ length: 20 }, (_, i) => Uint8Array.of(i))
    const signed = await Promise.all(bodies.map(async (body) => ({ body, ...await signer.sign(answerLeaf(keys.publicKey, hash, 7, body)) })))
    expect(new Set(signed.map((s) => Buffer.from(s.signature).toString('hex'))).size).toBe(1)
    const cache = new VerifiedRoots()
    for (const s of signed) {
      const answer: SignedAnswer = { relayPublicKey: keys.publicKey, requestHash: hash, body: s.body, timestamp: 7, signature: s.signature, proof: s.proof }
      expect(verifyAnswer(answer, hash)).toBe(true)
      expect(verifyAnswer(answer, hash, cache)).toBe(true)
      // Another answer's body under this proof fails, even with the root already trusted.
      expect(verifyAnswer({ ...answer, body: Uint8Array.of(99) }, hash, cache)).toBe(false)
      expect(verifyAnswer({ ...answer, timestamp: 8 }, hash, cache)).toBe(false)
      expect(verifyAnswer({ ...answer, timestamp: 1.5 }, hash, cache)).toBe(false)
    }
    // A different key cannot claim the batch, nor a changed signature, even once the root is trusted.
    const other = generateKeyPair()
    const s = signed[0]!
    expect(verifyAnswer({ relayPublicKey: other.publicKey, requestHash: hash, body: s.body, timestamp: 7, signature: s.signature, proof: s.proof }, hash)).toBe(false)
    expect(verifyAnswer({ relayPublicKey: other.publicKey, requestHash: hash, body: s.body, timestamp: 7, signature: s.signature, proof: s.proof }, hash, cache)).toBe(false)
    const bent = Uint8Array.from(s.signature)
    bent[63] = (bent[63] as number) ^ 1
    expect(verifyAnswer({ relayPublicKey: keys.publicKey, requestHash: hash, body: s.body, timestamp: 7, signature: bent, proof: s.proof }, hash, cache)).toBe(false)
  })

  it('remembers verified roots up to its capacity, oldest forgotten first', () => {
    const cache = new VerifiedRoots(2)
    const relay = new Uint8Array(32).fill(1)
    const signature = new Uint8Array(64).fill(2)
    const roots = [3, 4, 5].map((b) => new Uint8Array(32).fill(b))
    for (const root of roots) cache.add(relay, root, signature)
    expect(roots.map((root) => cache.has(relay, root, signature))).toEqual([false, true, true])
    expect(cache.has(new Uint8Array(32), roots[2]!, signature)).toBe(false)
    expect(cache.has(relay.subarray(1), roots[2]!, signature)).toBe(false)
    expect(() => cache.add(relay, roots[0]!, signature.subarray(1))).toThrow(RangeError)
  })
})

describe('verified inner nodes', () => {
  async function batch (n: number): Promise<{ keys: ReturnType<typeof generateKeyPair>, hash: Uint8Array, answers: SignedAnswer[] }> {
    const keys = generateKeyPair()
    const signer = new BatchSigner(keys)
    const hash = requestHash('x.y', Uint8Array.of(1))
    const answers = await Promise.all(Array.from({ length: n }, async (_, i) => {
      const body = Uint8Array.of(i)
      const { signature, proof } = await signer.sign(answerLeaf(keys.publicKey, hash, 7, body))
      return { relayPublicKey: keys.publicKey, requestHash: hash, body, timestamp: 7, signature, proof }
    }))
    return { keys, hash, answers }
  }

  it('verify the rest of a batch from the nodes of the first proof, with few hashes', async () => {
    const { hash, answers } = await batch(37)
    const cache = new VerifiedRoots(4096, 4096)
    for (const a of answers) expect(verifyAnswer(a, hash, cache)).toBe(true)
    // Every answer again, now that each path is known: still true.
    for (const a of answers) expect(verifyAnswer(a, hash, cache)).toBe(true)
  })

  it('reject a known subtree under a bent upper sibling, another signature, or another key', async () => {
    const { hash, answers } = await batch(16)
    const cache = new VerifiedRoots(4096, 4096)
    expect(verifyAnswer(answers[0]!, hash, cache)).toBe(true)
    const a = answers[1]!
    // Leaf 1 reaches leaf 0's path after one hash; what lies above must still be the verified path.
    const bentTop = a.proof.siblings.map((s, i) => i === a.proof.siblings.length - 1 ? Uint8Array.from(s).fill(7) : s)
    expect(verifyAnswer({ ...a, proof: { ...a.proof, siblings: bentTop } }, hash, cache)).toBe(false)
    expect(verifyAnswer({ ...a, proof: { ...a.proof, siblings: [...a.proof.siblings, a.proof.siblings[0]!] } }, hash, cache)).toBe(false)
    const bentSignature = Uint8Array.from(a.signature)
    bentSignature[0] = (bentSignature[0] as number) ^ 1
    expect(verifyAnswer({ ...a, signature: bentSignature }, hash, cache)).toBe(false)
    expect(verifyAnswer({ ...a, relayPublicKey: generateKeyPair().publicKey }, hash, cache)).toBe(false)
    // A proof whose index lands elsewhere in the tree does not borrow the known path.
    expect(verifyAnswer({ ...a, proof: { ...a.proof, index: 9 } }, hash, cache)).toBe(false)
    expect(verifyAnswer(a, hash, cache)).toBe(true)
  })

  it('does not trust a path the caller changed after it verified', async () => {
    const { hash, answers } = await batch(8)
    const cache = new VerifiedRoots(4096, 4096)
    const first = answers[0]!
    const honestTop = first.proof.siblings[2]!.slice()
    expect(verifyAnswer(first, hash, cache)).toBe(true)
    first.proof.siblings[2]!.fill(9)
    const a = answers[1]!
    const forged = a.proof.siblings.map((s, i) => i === 2 ? Uint8Array.from(s).fill(9) : s)
    expect(verifyAnswer({ ...a, proof: { ...a.proof, siblings: forged } }, hash, cache)).toBe(false)
    first.proof.siblings[2]!.set(honestTop)
  })

  it('decide every answer of every batch size, in any order, as the whole proof would: forgeries fail with the tree known', async () => {
    for (const n of [1, 2, 3, 5, 6, 7, 8, 13, 37, 64, 70]) {
      const { hash, answers } = await batch(n)
      const order = answers.map((_, i) => i).sort(() => Math.random() - 0.5)
      const cache = new VerifiedRoots(4096, 4096)
      for (const i of order) {
        const a = answers[i]!
        const flip = (bytes: Uint8Array): Uint8Array => { const out = Uint8Array.from(bytes); out[0] = (out[0] as number) ^ 1; return out }
        const forgeries: SignedAnswer[] = [
          { ...a, body: Uint8Array.of(200) },
          { ...a, proof: { ...a.proof, index: (a.proof.index + 1) % n } },
          { ...a, proof: { ...a.proof, count: n + 1 } },
          { ...a, proof: { ...a.proof, siblings: a.proof.siblings.slice(1) } },
          { ...a, proof: { ...a.proof, siblings: [...a.proof.siblings, new Uint8Array(32)] } },
          ...a.proof.siblings.map((_, k) => ({ ...a, proof: { ...a.proof, siblings: a.proof.siblings.map((x, j) => j === k ? flip(x) : x) } }))
        ]
        // Before and after this answer's own proof is known, and against the whole-proof path without a cache.
        for (const f of forgeries) {
          if (n === 1 && f.proof.index === a.proof.index && f.proof.count === a.proof.count && f.proof.siblings.length === 0 && f.body === a.body) continue
          expect(verifyAnswer(f, hash, cache)).toBe(verifyAnswer(f, hash))
        }
        expect(verifyAnswer(a, hash, cache)).toBe(true)
        for (const f of forgeries) expect(verifyAnswer(f, hash, cache)).toBe(verifyAnswer(f, hash))
      }
    }
  })

  it('decide a whole batch and its forgeries arriving at once on the async path as the sync path does, one root check shared', async () => {
    const { hash, answers } = await batch(37)
    const cache = new VerifiedRoots(4096, 4096)
    const bentSignature = Uint8Array.from(answers[0]!.signature)
    bentSignature[5] = (bentSignature[5] as number) ^ 1
    const all: SignedAnswer[] = answers.flatMap((a) => [
      a,
      { ...a, body: Uint8Array.of(200) },
      { ...a, signature: bentSignature },
      { ...a, relayPublicKey: generateKeyPair().publicKey },
      { ...a, proof: { ...a.proof, index: (a.proof.index + 1) % answers.length } }
    ])
    const verdicts = await Promise.all(all.map(async (a) => await verifyAnswerAsync(a, hash, cache)))
    expect(verdicts).toEqual(all.map((a) => verifyAnswer(a, hash)))
    expect(verdicts.filter(Boolean).length).toBe(answers.length)
    expect(cache.pending.size).toBe(0)
    expect(await verifyAnswerAsync(answers[3]!, requestHash('x.y', Uint8Array.of(2)), cache)).toBe(false)
    expect(await verifyAnswerAsync(answers[3]!, hash)).toBe(true)
  })

  it('keep at most nodeCapacity nodes, and still verify beyond it', async () => {
    const { hash, answers } = await batch(40)
    const cache = new VerifiedRoots(4096, 8)
    for (const a of answers) expect(verifyAnswer(a, hash, cache)).toBe(true)
    for (const a of answers) expect(verifyAnswer({ ...a, body: Uint8Array.of(222) }, hash, cache)).toBe(false)
  })
})
