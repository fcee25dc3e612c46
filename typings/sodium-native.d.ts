// Typed declarations for the parts of sodium-native Lume uses (the package ships none).
declare module 'sodium-native' {
  const sodium: {
    crypto_sign_seed_keypair (publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void
    crypto_sign_keypair (publicKey: Uint8Array, secretKey: Uint8Array): void
    crypto_sign_detached (signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void
    crypto_sign_verify_detached (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean
    randombytes_buf (buffer: Uint8Array): void
    crypto_generichash (out: Uint8Array, input: Uint8Array, key?: Uint8Array): void
    crypto_hash_sha256 (out: Uint8Array, input: Uint8Array): void
    crypto_hash_sha512 (out: Uint8Array, input: Uint8Array): void
    crypto_scalarmult_ed25519_noclamp (out: Uint8Array, scalar: Uint8Array, point: Uint8Array): void
  }
  export default sodium
}
