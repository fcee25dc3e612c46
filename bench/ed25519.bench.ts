// @lume/crypto signing against raw libsodium (the baseline), node:crypto and
// @noble/curves (the browser backend), same message, same key.
import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto'
import sodium from 'sodium-native'
import { ed25519 } from '@noble/curves/ed25519.js'
import { SigningContext } from '@lume/types'
import { generateKeyPair, sign, verify, signedBytes } from '@lume/crypto'
import { measure, printTable } from './lib/measure.ts'

const keys = generateKeyPair()
const message = new Uint8Array(200).fill(7)
const context = SigningContext.RPC_RESPONSE
const raw = signedBytes(context, message)
const signature = sign(context, message, keys.secretKey)

// node:crypto wants KeyObjects: wrap the same seed in PKCS#8 / the public key in SPKI.
const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), keys.secretKey.subarray(0, 32)])
const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), keys.publicKey])
const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
const publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' })
const out = Buffer.alloc(64)

if (!nodeVerify(null, raw, publicKey, signature) || !ed25519.verify(signature, raw, keys.publicKey)) {
  throw new Error('backends disagree: the benchmark would compare different work')
}

printTable('ed25519 sign, 200-byte message', [
  measure('sodium-native crypto_sign_detached (baseline)', () => sodium.crypto_sign_detached(out, raw, keys.secretKey)),
  measure('@lume/types sign (context + sodium)', () => sign(context, message, keys.secretKey)),
  measure('node:crypto sign', () => nodeSign(null, raw, privateKey)),
  measure('@noble/curves sign (browser backend)', () => ed25519.sign(raw, keys.secretKey.subarray(0, 32)), 500)
])

printTable('ed25519 verify, 200-byte message', [
  measure('sodium-native crypto_sign_verify_detached (baseline)', () => sodium.crypto_sign_verify_detached(signature, raw, keys.publicKey)),
  measure('@lume/types verify (context + sodium)', () => verify(context, message, signature, keys.publicKey)),
  measure('node:crypto verify', () => nodeVerify(null, raw, publicKey, signature)),
  measure('@noble/curves verify (browser backend)', () => ed25519.verify(signature, raw, keys.publicKey), 500)
])
