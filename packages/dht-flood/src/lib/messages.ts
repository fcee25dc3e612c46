import c from 'compact-encoding'
import { LumeError, type Codec } from '@lume/types'

/** Version byte first in every flood packet. */
export const FLOOD_VERSION = 1

/** A flood packet: who sent it first, its sequence number, hops left, payload and the origin's signature. */
export interface Packet {
  origin: Uint8Array
  seq: number
  ttl: number
  payload: Uint8Array
  signature: Uint8Array
}

/** `version u8 ‖ origin (32) ‖ seq uint ‖ ttl u8 ‖ payload bytes ‖ signature (64)`. */
export const packetCodec: Codec<Packet> = {
  preencode (state, p) {
    state.end += 1 + 32
    c.uint.preencode(state, p.seq)
    state.end += 1
    c.uint8array.preencode(state, p.payload)
    state.end += 64
  },
  encode (state, p) {
    c.uint8.encode(state, FLOOD_VERSION)
    c.fixed32.encode(state, p.origin)
    c.uint.encode(state, p.seq)
    c.uint8.encode(state, p.ttl)
    c.uint8array.encode(state, p.payload)
    c.fixed64.encode(state, p.signature)
  },
  decode (state) {
    const version = c.uint8.decode(state)
    if (version !== FLOOD_VERSION) throw LumeError.badFrame(`unsupported flood packet version ${version}`)
    return {
      origin: c.fixed32.decode(state),
      seq: c.uint.decode(state),
      ttl: c.uint8.decode(state),
      payload: c.uint8array.decode(state),
      signature: c.fixed64.decode(state)
    }
  }
}

/** What the origin signs (under `lume/flood/packet/v1`): origin ‖ seq u64 LE ‖ payload. The TTL is left out: relays lower it. */
export function packetMessage (origin: Uint8Array, seq: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(40 + payload.byteLength)
  out.set(origin, 0)
  new DataView(out.buffer).setBigUint64(32, BigInt(seq), true)
  out.set(payload, 40)
  return out
}

/** Names a packet: its origin and sequence. */
export interface PacketId {
  origin: Uint8Array
  seq: number
}

/** `have` (channel message 3): `origin (32) ‖ seq uint`, "I already have this packet, do not send it to me". */
export const haveCodec: Codec<PacketId> = {
  preencode (state, id) {
    state.end += 32
    c.uint.preencode(state, id.seq)
  },
  encode (state, id) {
    c.fixed32.encode(state, id.origin)
    c.uint.encode(state, id.seq)
  },
  decode (state) {
    return { origin: c.fixed32.decode(state), seq: c.uint.decode(state) }
  }
}
