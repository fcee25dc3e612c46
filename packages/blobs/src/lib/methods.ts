import c from 'compact-encoding'
import { cappedArray, emptyCodec, hashCodec, LumeError, publicKeyCodec, signatureCodec, uintCodec, type Codec } from '@lume/types'
import type { MethodSpec } from '@lume/types'
import { MAX_HOLDERS } from './constants.js'

/** `blobs.begin`: open an upload of `size` bytes; `owner` (optional, 32 zero bytes for none) lets the relay refuse early when its quota cannot take it. */
export interface BeginRequest {
  size: number
  owner: Uint8Array
}

/** `blobs.write`: the next bytes of an upload, at `offset` (uploads are written in order). */
export interface WriteRequest {
  id: number
  offset: number
  bytes: Uint8Array
}

/** `blobs.finish`: close an upload and pin it for `owner`, who signs {@link PIN_CONTEXT} over relay ‖ hash ‖ size. */
export interface FinishRequest {
  id: number
  owner: Uint8Array
  hash: Uint8Array
  signature: Uint8Array
}

/** `blobs.pin`: pin a blob the relay already holds for `owner`, who signs {@link PIN_CONTEXT} over relay ‖ hash ‖ size. */
export interface PinRequest {
  owner: Uint8Array
  hash: Uint8Array
  signature: Uint8Array
}

/** `blobs.read`: the Bao slice (k = 4, with header) for content range [start, start + len). */
export interface ReadRequest {
  hash: Uint8Array
  start: number
  len: number
}

const beginCodec: Codec<BeginRequest> = {
  preencode (state, v) { uintCodec.preencode(state, v.size); publicKeyCodec.preencode(state, v.owner) },
  encode (state, v) { uintCodec.encode(state, v.size); publicKeyCodec.encode(state, v.owner) },
  decode (state) { return { size: uintCodec.decode(state), owner: publicKeyCodec.decode(state) } }
}

const writeCodec: Codec<WriteRequest> = {
  preencode (state, v) { uintCodec.preencode(state, v.id); uintCodec.preencode(state, v.offset); c.uint8array.preencode(state, v.bytes) },
  encode (state, v) { uintCodec.encode(state, v.id); uintCodec.encode(state, v.offset); c.uint8array.encode(state, v.bytes) },
  decode (state) { return { id: uintCodec.decode(state), offset: uintCodec.decode(state), bytes: c.uint8array.decode(state) } }
}

const finishCodec: Codec<FinishRequest> = {
  preencode (state, v) { uintCodec.preencode(state, v.id); state.end += 32 + 32 + 64 },
  encode (state, v) { uintCodec.encode(state, v.id); publicKeyCodec.encode(state, v.owner); hashCodec.encode(state, v.hash); signatureCodec.encode(state, v.signature) },
  decode (state) { return { id: uintCodec.decode(state), owner: publicKeyCodec.decode(state), hash: hashCodec.decode(state), signature: signatureCodec.decode(state) } }
}

const pinCodec: Codec<PinRequest> = {
  preencode (state) { state.end += 32 + 32 + 64 },
  encode (state, v) { publicKeyCodec.encode(state, v.owner); hashCodec.encode(state, v.hash); signatureCodec.encode(state, v.signature) },
  decode (state) { return { owner: publicKeyCodec.decode(state), hash: hashCodec.decode(state), signature: signatureCodec.decode(state) } }
}

const readCodec: Codec<ReadRequest> = {
  preencode (state, v) { state.end += 32; uintCodec.preencode(state, v.start); uintCodec.preencode(state, v.len) },
  encode (state, v) { hashCodec.encode(state, v.hash); uintCodec.encode(state, v.start); uintCodec.encode(state, v.len) },
  decode (state) { return { hash: hashCodec.decode(state), start: uintCodec.decode(state), len: uintCodec.decode(state) } }
}

/** A size, or null when the relay does not hold the blob. */
const maybeSize: Codec<number | null> = {
  preencode (state, v) { state.end++; if (v !== null) uintCodec.preencode(state, v) },
  encode (state, v) { c.uint8.encode(state, v === null ? 0 : 1); if (v !== null) uintCodec.encode(state, v) },
  decode (state) {
    const flag = c.uint8.decode(state)
    if (flag > 1) throw LumeError.badFrame(`blobs.info flag is ${flag}, not 0 or 1`)
    return flag === 0 ? null : uintCodec.decode(state)
  }
}

/** The methods a relay running the blobs plugin serves (see docs/protocol.md, "Blobs"). */
export const BlobMethods = {
  /** Open an upload; answers its id (valid on this connection only). */
  begin: { name: 'blobs.begin', request: beginCodec, response: uintCodec } satisfies MethodSpec<BeginRequest, number>,
  /** Append bytes to an upload; answers the bytes received so far. */
  write: { name: 'blobs.write', request: writeCodec, response: uintCodec } satisfies MethodSpec<WriteRequest, number>,
  /** Finish an upload: the relay checks the hash and the owner's signature, stores durably, then answers. */
  finish: { name: 'blobs.finish', request: finishCodec, response: emptyCodec } satisfies MethodSpec<FinishRequest, null>,
  /** Drop an upload in progress (closing the connection does the same). */
  abort: { name: 'blobs.abort', request: uintCodec, response: emptyCodec } satisfies MethodSpec<number, null>,
  /** Pin a blob held here (e.g. one in the cache) without sending it again. */
  pin: { name: 'blobs.pin', request: pinCodec, response: emptyCodec } satisfies MethodSpec<PinRequest, null>,
  /** Drop the owner's pin (signed under {@link UNPIN_CONTEXT}); a blob nobody pins becomes cache. */
  unpin: { name: 'blobs.unpin', request: pinCodec, response: emptyCodec } satisfies MethodSpec<PinRequest, null>,
  /** The blob's size, or null when this relay does not hold it. */
  info: { name: 'blobs.info', request: hashCodec, response: maybeSize } satisfies MethodSpec<Uint8Array, number | null>,
  /** A verified-streaming slice of the blob (Bao, k = 4, with header). */
  read: { name: 'blobs.read', request: readCodec, response: c.uint8array as Codec<Uint8Array> } satisfies MethodSpec<ReadRequest, Uint8Array>,
  /** Relays believed to hold the blob (this one first when it does). */
  holders: { name: 'blobs.holders', request: hashCodec, response: cappedArray(publicKeyCodec, MAX_HOLDERS) } satisfies MethodSpec<Uint8Array, Uint8Array[]>,
  /** Ask the relay to fetch the blob from its holders, keep it in its cache and announce it; answers the size. */
  fetch: { name: 'blobs.fetch', request: hashCodec, response: uintCodec } satisfies MethodSpec<Uint8Array, number>
}
