import c from 'compact-encoding'
import { assertUint, cappedArray, equalBytes, decode, encode, ErrorCode, LumeError, publicKeyCodec, signatureCodec, SigningContext, uintCodec, type Codec } from '@lume/types'
import { sign, verify, type KeyPair } from '@lume/crypto'

/** Version byte first in every record. */
export const RECORD_VERSION = 1
/** Most addresses in one record. */
export const MAX_ADDRESSES = 16
/** Most UTF-8 bytes in one address. */
export const MAX_ADDRESS_BYTES = 255

const utf8 = new TextEncoder()
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * An address: UTF-8 with a varint length of at most {@link MAX_ADDRESS_BYTES}.
 * Invalid UTF-8 is a BAD_FRAME rather than U+FFFD, so a decoded address
 * re-encodes to the bytes it came from.
 */
const addressCodec: Codec<string> = {
  preencode (state, a) { c.uint8array.preencode(state, utf8.encode(a)) },
  encode (state, a) {
    const bytes = utf8.encode(a)
    assertUint('address length', bytes.byteLength, MAX_ADDRESS_BYTES)
    c.uint8array.encode(state, bytes)
  },
  decode (state) {
    const length = c.uint.decode(state)
    if (length > MAX_ADDRESS_BYTES) throw LumeError.tooLarge('address', length, MAX_ADDRESS_BYTES)
    if (state.end - state.start < length) throw LumeError.badFrame('address is truncated')
    const bytes = (state.buffer as Uint8Array).subarray(state.start, state.start + length)
    state.start += length
    try {
      return strictUtf8.decode(bytes)
    } catch (err) {
      throw LumeError.badFrame('address is not valid UTF-8', err)
    }
  }
}
const addressesCodec = cappedArray(addressCodec, MAX_ADDRESSES)

/**
 * Where a relay can be reached, signed by the relay: its key, addresses
 * (`host:port`, `ws://…`, or `dht` for "connect by key over HyperDHT"), and when.
 */
export interface PeerRecord {
  publicKey: Uint8Array
  addresses: string[]
  /** Milliseconds since the epoch when the relay signed it. */
  timestamp: number
}

/** A record and its signature. */
export interface SignedPeerRecord extends PeerRecord {
  signature: Uint8Array
}

const bodyCodec: Codec<PeerRecord> = {
  preencode (state, r) {
    state.end++
    publicKeyCodec.preencode(state, r.publicKey)
    addressesCodec.preencode(state, r.addresses)
    uintCodec.preencode(state, r.timestamp)
  },
  encode (state, r) {
    c.uint8.encode(state, RECORD_VERSION)
    publicKeyCodec.encode(state, r.publicKey)
    addressesCodec.encode(state, r.addresses)
    uintCodec.encode(state, r.timestamp)
  },
  decode (state) {
    const version = c.uint8.decode(state)
    if (version !== RECORD_VERSION) throw LumeError.badFrame(`unsupported record version ${version}`)
    return { publicKey: publicKeyCodec.decode(state), addresses: addressesCodec.decode(state), timestamp: uintCodec.decode(state) }
  }
}

/** `version ‖ publicKey ‖ addresses ‖ timestamp ‖ signature (64)`; the signature covers everything before it (context `lume/discovery/record/v1`). */
export const recordCodec: Codec<SignedPeerRecord> = {
  preencode (state, r) { bodyCodec.preencode(state, r); state.end += 64 },
  encode (state, r) { bodyCodec.encode(state, r); signatureCodec.encode(state, r.signature) },
  decode (state) { const body = bodyCodec.decode(state); return { ...body, signature: signatureCodec.decode(state) } }
}

/** Sign a record with the relay's key pair. */
export function signRecord (keyPair: KeyPair, addresses: string[], timestamp = Date.now()): SignedPeerRecord {
  return signRecordWith((m) => sign(SigningContext.PEER_RECORD, m, keyPair.secretKey), keyPair.publicKey, addresses, timestamp)
}

/** Sign a record with a signing function (a relay plugin's `api.sign`, bound to the record context). */
export function signRecordWith (signer: (message: Uint8Array) => Uint8Array, publicKey: Uint8Array, addresses: string[], timestamp = Date.now()): SignedPeerRecord {
  const body: PeerRecord = { publicKey, addresses, timestamp }
  return { ...body, signature: signer(encode(bodyCodec, body)) }
}

/**
 * Check a record from an untrusted source: it must be for `expectedKey`,
 * signed by that key, and not older than `maxAgeMs` (nor from the future):
 * an old answer cannot be replayed. Typed errors: BAD_SIGNATURE, EXPIRED.
 */
export function verifyRecord (record: SignedPeerRecord, expectedKey: Uint8Array, maxAgeMs: number, now = Date.now()): SignedPeerRecord {
  if (!equalBytes(record.publicKey, expectedKey)) throw new LumeError(ErrorCode.BAD_SIGNATURE, 'record is for another key')
  if (!verify(SigningContext.PEER_RECORD, encode(bodyCodec, record), record.signature, record.publicKey)) throw LumeError.badSignature('peer record')
  if (now - record.timestamp > maxAgeMs) throw new LumeError(ErrorCode.EXPIRED, `record is ${Math.round((now - record.timestamp) / 1000)} s old (limit ${Math.round(maxAgeMs / 1000)} s)`)
  if (record.timestamp - now > 5 * 60_000) throw new LumeError(ErrorCode.EXPIRED, 'record is dated in the future')
  return record
}

/** A record as bytes. */
export function encodeRecord (record: SignedPeerRecord): Uint8Array {
  return encode(recordCodec, record)
}

/** A record from bytes (`BAD_FRAME` if malformed; verify it with {@link verifyRecord}). */
export function decodeRecord (bytes: Uint8Array): SignedPeerRecord {
  return decode(recordCodec, bytes)
}
