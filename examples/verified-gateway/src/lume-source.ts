import type { BlobClient } from '@lume/blobs'
import type { VerifiedSource } from './source.js'

/**
 * Blobs on Lume relays as the gateway's source: the client finds the relays
 * that hold a hash, proves its size, and downloads ranges from all of them
 * at once, each verified against the hash before it is handed on (a relay
 * that lies or stalls is dropped and its ranges fetched elsewhere). With a
 * key, encrypted blobs are decrypted on the way.
 */
export function lumeSource (client: BlobClient): VerifiedSource {
  return {
    async open (hash, signal, options = {}) {
      const reader = await client.open(options.key === undefined ? hash : { hash, key: options.key }, { signal })
      // A wrong key shows only when a group is opened: open the last one now, so the answer is a
      // 403 before any header instead of a cut transfer.
      if (reader.encrypted && reader.size > 0) for await (const piece of reader.read({ start: reader.size - 1, signal })) void piece
      return {
        size: reader.size,
        read: (start, end, readSignal) => reader.read({ start, end, signal: readSignal })
      }
    }
  }
}
