import c from 'compact-encoding'
import { bytesCodec, LumeError, optionalCodec, type Codec, type MethodSpec } from '@lume/types'
import type { PutStatus } from './store.js'

/** `registry.set` answer: what happened, and the entry stored now (bytes). */
export interface SetAnswer {
  status: PutStatus
  entry: Uint8Array
}

/** `registry.subscribe` request: a key, and the revision the subscriber already has. */
export interface SubscribeRequest {
  pk: Uint8Array
  /** Send only entries with a higher revision. @default -1 (everything) */
  since: number
}

const STATUS: PutStatus[] = ['stored', 'same', 'stale']

const pkCodec: Codec<Uint8Array> = c.fixed(33)

const setAnswerCodec: Codec<SetAnswer> = {
  preencode (state, v) { state.end++; c.uint8array.preencode(state, v.entry) },
  encode (state, v) { c.uint8.encode(state, STATUS.indexOf(v.status)); c.uint8array.encode(state, v.entry) },
  decode (state) {
    const status = STATUS[c.uint8.decode(state)]
    if (status === undefined) throw LumeError.badFrame('unknown registry.set status')
    return { status, entry: c.uint8array.decode(state) }
  }
}

const subscribeCodec: Codec<SubscribeRequest> = {
  preencode (state, v) { pkCodec.preencode(state, v.pk); c.int.preencode(state, v.since) },
  encode (state, v) { pkCodec.encode(state, v.pk); c.int.encode(state, v.since) },
  decode (state) { return { pk: pkCodec.decode(state), since: c.int.decode(state) } }
}

/** The registry's RPC methods (the relay plugin serves them as `registry.*`). */
export const RegistryMethods: {
  get: MethodSpec<Uint8Array, Uint8Array | null>
  set: MethodSpec<Uint8Array, SetAnswer>
  subscribe: MethodSpec<SubscribeRequest, Uint8Array>
  pin: MethodSpec<Uint8Array, null>
} = {
  /** The stored entry for a 33-byte key (0xed ‖ ed25519 key), or null. */
  get: { name: 'registry.get', request: pkCodec, response: optionalCodec(bytesCodec) },
  /** Store a serialized entry (if it beats the stored one); answers with the entry stored now. */
  set: { name: 'registry.set', request: c.raw, response: setAnswerCodec },
  /** A stream of entries for a key: the current one (if newer than `since`), then every newer one. */
  subscribe: { name: 'registry.subscribe', request: subscribeCodec, response: c.uint8array },
  /** Ask the relay to keep a key's entries (anyone's) even when its store is full. */
  pin: { name: 'registry.pin', request: pkCodec, response: c.none }
}
