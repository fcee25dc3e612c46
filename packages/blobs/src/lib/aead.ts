/** XChaCha20-Poly1305 (IETF) as the blob encryption uses it: libsodium in Node, noble elsewhere (see package.json "imports"). */
export interface Aead {
  readonly name: string
  /** Ciphertext ‖ 16-byte tag. */
  seal (key: Uint8Array, nonce: Uint8Array, plain: Uint8Array): Uint8Array
  /** The plaintext, or null when the tag does not verify. */
  open (key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Uint8Array | null
}
