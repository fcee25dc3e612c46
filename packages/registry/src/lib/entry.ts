import { assertLength, assertUint, ErrorCode, LumeError } from '@lume/types'
import { ED25519, signRaw, verifyRaw, type KeyPair } from '@lume/crypto'

/** The record type byte of an S5 registry entry. */
export const RECORD_TYPE = 0x07
/** The key type byte of an ed25519 public key in S5. */
export const KEY_TYPE_ED25519 = 0xed
/** Largest revision accepted (S5's bound; also exact as a JavaScript number). */
export const MAX_REVISION = 2 ** 48
/** Default largest data length; S5 had 48 earlier. */
export const DEFAULT_MAX_DATA = 64
/** Most data bytes the format can carry: its length is one byte. */
export const MAX_DATA_BYTES = 255
/** Bytes of an entry besides its data: type, key, revision, length, signature. */
export const ENTRY_OVERHEAD = 1 + 33 + 8 + 1 + 64

/**
 * A mutable pointer: a small value under a public key, with a revision, signed
 * by the key. Byte-compatible with the S5 registry.
 */
export interface RegistryEntry {
  /** 33 bytes: 0xed ‖ ed25519 public key. */
  pk: Uint8Array
  /** Higher wins. At most 2^48. */
  revision: number
  /** The value (≤ 64 bytes by default). */
  data: Uint8Array
  /** ed25519 over {@link signedBytes}. */
  signature: Uint8Array
}

/** The S5 key of an ed25519 public key: 0xed ‖ key. */
export function registryKey (publicKey: Uint8Array): Uint8Array {
  if (publicKey.byteLength !== ED25519.PUBLIC_KEY_BYTES) throw LumeError.invalidArgument('public key must be 32 bytes')
  const pk = new Uint8Array(33)
  pk[0] = KEY_TYPE_ED25519
  pk.set(publicKey, 1)
  return pk
}

/** What the key signs: `0x07 ‖ revision u64 LE ‖ len u8 ‖ data` (S5's layout: no context prefix). */
export function signedBytes (revision: number, data: Uint8Array): Uint8Array {
  // Checked here, not only in signEntry: −1 would wrap to 2^64 − 1, 256 bytes of data to a length of 0.
  assertUint('revision', revision, MAX_REVISION)
  assertUint('data length', data.byteLength, MAX_DATA_BYTES)
  const out = new Uint8Array(10 + data.byteLength)
  out[0] = RECORD_TYPE
  new DataView(out.buffer).setBigUint64(1, BigInt(revision), true)
  out[9] = data.byteLength
  out.set(data, 10)
  return out
}

/** Make a signed entry. */
export function signEntry (keyPair: KeyPair, revision: number, data: Uint8Array, maxData = DEFAULT_MAX_DATA): RegistryEntry {
  checkFields(revision, data, maxData)
  return { pk: registryKey(keyPair.publicKey), revision, data, signature: signRaw(signedBytes(revision, data), keyPair.secretKey) }
}

/** True when the entry's signature is its key's over its revision and data. */
export function verifyEntry (entry: RegistryEntry): boolean {
  if (entry.pk.byteLength !== 33 || entry.pk[0] !== KEY_TYPE_ED25519 || entry.signature.byteLength !== 64) return false
  if (!Number.isSafeInteger(entry.revision) || entry.revision < 0 || entry.revision > MAX_REVISION || entry.data.byteLength > 255) return false
  return verifyRaw(signedBytes(entry.revision, entry.data), entry.signature, entry.pk.subarray(1))
}

/** `0x07 ‖ pk (33) ‖ revision u64 LE ‖ len u8 ‖ data ‖ signature (64)`: 107 + len bytes. */
export function serializeEntry (entry: RegistryEntry): Uint8Array {
  if (entry.pk.byteLength !== 33 || entry.pk[0] !== KEY_TYPE_ED25519) throw LumeError.invalidArgument('registry entry pk must be 0xed ‖ 32-byte key')
  assertLength('registry entry signature', entry.signature, 64)
  assertUint('revision', entry.revision, MAX_REVISION)
  assertUint('data length', entry.data.byteLength, MAX_DATA_BYTES)
  const out = new Uint8Array(ENTRY_OVERHEAD + entry.data.byteLength)
  out[0] = RECORD_TYPE
  out.set(entry.pk, 1)
  new DataView(out.buffer).setBigUint64(34, BigInt(entry.revision), true)
  out[42] = entry.data.byteLength
  out.set(entry.data, 43)
  out.set(entry.signature, 43 + entry.data.byteLength)
  return out
}

/**
 * Parse and check an entry from untrusted bytes: record and key type, length,
 * revision bound (the u64 is read in full, never truncated), data limit, and
 * the signature. Any fault is a typed error.
 */
export function parseEntry (bytes: Uint8Array, maxData = DEFAULT_MAX_DATA): RegistryEntry {
  if (bytes.byteLength < ENTRY_OVERHEAD) throw LumeError.badFrame(`registry entry is ${bytes.byteLength} bytes, shorter than the ${ENTRY_OVERHEAD}-byte minimum`)
  if (bytes[0] !== RECORD_TYPE) throw LumeError.badFrame(`registry entry record type is 0x${(bytes[0] as number).toString(16)}, not 0x07`)
  if (bytes[1] !== KEY_TYPE_ED25519) throw LumeError.badFrame(`registry entry key type is 0x${(bytes[1] as number).toString(16)}, not 0xed (ed25519)`)
  // The frame's shape first: a bad length is BAD_FRAME whatever else is wrong.
  const len = bytes[42] as number
  if (bytes.byteLength !== ENTRY_OVERHEAD + len) throw LumeError.badFrame(`registry entry says ${len} data bytes but is ${bytes.byteLength - ENTRY_OVERHEAD}`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const revision = view.getBigUint64(34, true)
  if (revision > BigInt(MAX_REVISION)) throw LumeError.invalidArgument(`revision ${revision} is over the bound 2^48`)
  if (len > maxData) throw LumeError.tooLarge('registry entry data', len, maxData)
  const entry: RegistryEntry = {
    pk: bytes.slice(1, 34),
    revision: Number(revision),
    data: bytes.slice(43, 43 + len),
    signature: bytes.slice(43 + len, 107 + len)
  }
  if (!verifyEntry(entry)) throw LumeError.badSignature('registry entry')
  return entry
}

/**
 * Read an entry a store wrote. It was verified before it was stored, so only
 * its shape is checked here (re-verifying would cost a signature check per read).
 */
export function readStoredEntry (bytes: Uint8Array): RegistryEntry {
  const len = bytes[42]
  if (bytes.byteLength < ENTRY_OVERHEAD || len === undefined || bytes.byteLength !== ENTRY_OVERHEAD + len) throw LumeError.badFrame('corrupt stored registry entry')
  return {
    pk: bytes.slice(1, 34),
    revision: Number(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(34, true)),
    data: bytes.slice(43, 43 + len),
    signature: bytes.slice(43 + len)
  }
}

/**
 * The conflict rule every relay applies, so all converge: the higher revision
 * wins; at equal revisions the byte-wise larger signature wins. Returns > 0
 * when `a` beats `b`, 0 when they are the same entry.
 */
export function compareEntries (a: RegistryEntry, b: RegistryEntry): number {
  if (a.revision !== b.revision) return a.revision > b.revision ? 1 : -1
  for (let i = 0; i < 64; i++) {
    const d = (a.signature[i] as number) - (b.signature[i] as number)
    if (d !== 0) return d
  }
  return 0
}

function checkFields (revision: number, data: Uint8Array, maxData: number): void {
  if (!Number.isSafeInteger(revision) || revision < 0 || revision > MAX_REVISION) throw LumeError.invalidArgument(`revision must be 0..2^48, got ${revision}`)
  if (data.byteLength > Math.min(maxData, MAX_DATA_BYTES)) throw new LumeError(ErrorCode.TOO_LARGE, `registry data is ${data.byteLength} bytes, over the limit of ${Math.min(maxData, MAX_DATA_BYTES)}`)
}
