import { generateKeyPair, keyPairFromSeed, noiseDh } from '@lume/crypto'

/**
 * The Noise DH functions over ed25519 keys that HyperDHT's secret streams use
 * (wire-identical to `noise-curve-ed`), built on @lume/crypto's backends:
 * libsodium in Node, @noble/curves in browsers — where sodium-javascript
 * lacks the scalar multiplication `noise-curve-ed` needs.
 */
export const ed25519NoiseCurve = {
  ALG: 'Ed25519',
  name: 'Ed25519',
  PKLEN: 32,
  SKLEN: 64,
  DHLEN: 32,
  SCALARLEN: 32,
  generateKeyPair (privateKey?: Uint8Array): { publicKey: Uint8Array, secretKey: Uint8Array } {
    return privateKey === undefined ? generateKeyPair() : keyPairFromSeed(privateKey.subarray(0, 32))
  },
  dh (publicKey: Uint8Array, local: { secretKey: Uint8Array }): Uint8Array {
    return noiseDh(publicKey, local.secretKey)
  }
}
