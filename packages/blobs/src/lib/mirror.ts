import { hash as blake3 } from '@lume/bao-stream'
import type { RelayPool } from '@lume/rpc-client'
import { parseEntry, RegistryClient, RegistryMethods, serializeEntry, type RegistryEntry } from '@lume/registry'
import { ErrorCode, fromHex, LumeError, toHex } from '@lume/types'
import { deriveChildKeyPair, keyPairFromMnemonic, type KeyPair } from '@lume/crypto'
import type { ReadCapability } from './capability.js'
import type { BlobClient } from './client.js'
import { KEY_BYTES } from './encryption.js'
import { BlobMethods } from './methods.js'

/** The purpose the mirror key pair is derived for from the identity (see `deriveChildKeyPair`). */
export const MIRROR_PURPOSE = 'lume/blobs/mirror/v1'
const KEY_CONTEXT = new TextEncoder().encode('lume/blobs/mirror-key/v1')
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024

/** What {@link BlobClient.mirror} stored. */
export interface MirrorResult {
  /** The mirror key the manifest's registry entry is under, and the blobs are pinned for. */
  mirrorKey: Uint8Array
  /** The manifest blob's hash (encrypted). */
  manifest: Uint8Array
}

/** What {@link BlobClient.restore} found. */
export interface Restored {
  /** The identity's registry head as mirrored (verified), or null when it had none. */
  head: RegistryEntry | null
  /** Every mirrored blob, with its key when it is encrypted. */
  blobs: ReadCapability[]
}

interface Manifest {
  v: 1
  head: string | null
  blobs: Array<{ hash: string, key?: string }>
}

/** The mirror key pair of a mnemonic's identity. */
function mirrorKeys (mnemonic: string): { identity: KeyPair, mirror: KeyPair } {
  const identity = keyPairFromMnemonic(mnemonic)
  return { identity, mirror: deriveChildKeyPair(identity, MIRROR_PURPOSE) }
}

/** The manifest key for one salt: BLAKE3(context ‖ mirror seed ‖ salt), fresh for every mirror (nonces count groups). */
function manifestKey (mirror: KeyPair, salt: Uint8Array): Uint8Array {
  const input = new Uint8Array(KEY_CONTEXT.byteLength + 32 + salt.byteLength)
  input.set(KEY_CONTEXT)
  input.set(mirror.secretKey.subarray(0, 32), KEY_CONTEXT.byteLength)
  input.set(salt, KEY_CONTEXT.byteLength + 32)
  return blake3(input)
}

/** See {@link BlobClient.mirror}. */
export async function mirrorTo (client: BlobClient, pool: RelayPool, sources: Uint8Array[], mnemonic: string, relay: Uint8Array, blobs: ReadCapability[]): Promise<MirrorResult> {
  const { identity, mirror } = mirrorKeys(mnemonic)
  const conn = await pool.connect(relay)
  // The newest head any of the client's relays has (each verified by the registry client).
  let head: RegistryEntry | null = null
  for (const source of sources) {
    try {
      const entry = await new RegistryClient(await pool.connect(source)).get(identity.publicKey)
      if (entry !== null && (head === null || entry.revision > head.revision)) head = entry
    } catch {
      // a relay without the registry, or unreachable: ask the next
    }
  }
  if (head !== null) await conn.call(RegistryMethods.set, serializeEntry(head))
  for (const blob of blobs) {
    if (await conn.call(BlobMethods.info, blob.hash) === null) await client.fetchVia(relay, blob.hash)
    await client.pin(blob.hash, mirror, [relay])
  }
  const manifest: Manifest = {
    v: 1,
    head: head === null ? null : toHex(serializeEntry(head)),
    blobs: blobs.map((b) => b.key === undefined ? { hash: toHex(b.hash) } : { hash: toHex(b.hash), key: toHex(b.key) })
  }
  const salt = crypto.getRandomValues(new Uint8Array(32))
  const stored = await client.upload(new TextEncoder().encode(JSON.stringify(manifest)), { keyPair: mirror, relays: [relay] }, manifestKey(mirror, salt))
  const pointer = new Uint8Array(64)
  pointer.set(stored.hash)
  pointer.set(salt, 32)
  await new RegistryClient(conn).set(mirror, pointer)
  return { mirrorKey: mirror.publicKey, manifest: stored.hash }
}

/** See {@link BlobClient.restore}. */
export async function restoreFrom (client: BlobClient, pool: RelayPool, mnemonic: string, relay: Uint8Array): Promise<Restored> {
  const { mirror } = mirrorKeys(mnemonic)
  const pointer = await new RegistryClient(await pool.connect(relay)).get(mirror.publicKey)
  if (pointer === null || pointer.data.byteLength !== 64) throw new LumeError(ErrorCode.NOT_FOUND, 'no mirror for this mnemonic on this relay')
  const hash = pointer.data.slice(0, 32)
  const bytes = await client.bytes({ hash, key: manifestKey(mirror, pointer.data.subarray(32)) }, { holders: [relay] })
  if (bytes.byteLength > MAX_MANIFEST_BYTES) throw LumeError.tooLarge('mirror manifest', bytes.byteLength, MAX_MANIFEST_BYTES)
  let manifest: Manifest
  try {
    manifest = JSON.parse(new TextDecoder().decode(bytes)) as Manifest
    if (manifest.v !== 1 || !Array.isArray(manifest.blobs)) throw new Error('not a version 1 manifest')
  } catch (err) {
    throw LumeError.badFrame('the mirror manifest does not parse', err)
  }
  return {
    head: manifest.head === null ? null : parseEntry(fromHex(manifest.head), 255),
    blobs: manifest.blobs.map((b) => b.key === undefined ? { hash: fromHex(b.hash, 32) } : { hash: fromHex(b.hash, 32), key: fromHex(b.key, KEY_BYTES) })
  }
}
