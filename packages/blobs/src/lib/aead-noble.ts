import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import type { Aead } from './aead.js'

// Browsers' backend: pure JS (about 40 MiB/s here; libsodium is ~7x that, see docs/benchmarks.md).
export const aead: Aead = {
  name: 'noble',
  seal: (key, nonce, plain) => xchacha20poly1305(key, nonce).encrypt(plain),
  open (key, nonce, sealed) {
    try {
      return xchacha20poly1305(key, nonce).decrypt(sealed)
    } catch {
      return null
    }
  }
}
