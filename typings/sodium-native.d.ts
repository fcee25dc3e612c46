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
    crypto_aead_xchacha20poly1305_ietf_encrypt (ciphertext: Uint8Array, message: Uint8Array, ad: Uint8Array | null, nsec: null, npub: Uint8Array, key: Uint8Array): number
    crypto_aead_xchacha20poly1305_ietf_decrypt (message: Uint8Array, nsec: null, ciphertext: Uint8Array, ad: Uint8Array | null, npub: Uint8Array, key: Uint8Array): number
  }
  export default sodium
}
