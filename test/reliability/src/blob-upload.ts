import { hash as blake3 } from '@lume/bao-stream'
import { BlobMethods, MAX_WRITE_BYTES, signPin } from '@lume/blobs'
import type { RpcConnection } from '@lume/rpc'
import type { KeyPair } from '@lume/crypto'

/**
 * Upload `data` to one relay as `owner`, by hand (begin, writes, signed
 * finish): what any client may do, without the client library's retries.
 * Resolves with the blob's hash.
 */
export async function uploadBlob (conn: RpcConnection, relayKey: Uint8Array, owner: KeyPair, data: Uint8Array): Promise<Uint8Array> {
  const hash = blake3(data)
  const id = await conn.call(BlobMethods.begin, { size: data.byteLength, owner: owner.publicKey })
  for (let at = 0; at < data.byteLength; at += MAX_WRITE_BYTES) {
    await conn.call(BlobMethods.write, { id, offset: at, bytes: data.subarray(at, at + MAX_WRITE_BYTES) })
  }
  await conn.call(BlobMethods.finish, { id, owner: owner.publicKey, hash, signature: signPin(owner.secretKey, relayKey, hash, data.byteLength) })
  return hash
}
