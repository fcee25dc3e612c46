import c from 'compact-encoding'
import { decode, encode, LumeError, type Codec } from '@lume/types'

/** The registry's topic inside flood payloads (other plugins use others). */
export const REGISTRY_TOPIC = 'registry/v1'

/** What the registry says over the flood. */
export type RegistryFloodMessage =
  | { type: 'entry', entry: Uint8Array }
  | { type: 'want', pk: Uint8Array }
  | { type: 'have', entry: Uint8Array }
  /** The answer to a want from a relay that has no entry for the key. */
  | { type: 'none', pk: Uint8Array }

const TYPES = ['entry', 'want', 'have', 'none'] as const

/** `string topic ‖ u8 type ‖ bytes body`: an announced entry (broadcast), or a want answered by have or none (direct). */
const messageCodec: Codec<RegistryFloodMessage> = {
  preencode (state, m) {
    c.string.preencode(state, REGISTRY_TOPIC)
    state.end++
    c.uint8array.preencode(state, m.type === 'want' || m.type === 'none' ? m.pk : m.entry)
  },
  encode (state, m) {
    c.string.encode(state, REGISTRY_TOPIC)
    c.uint8.encode(state, TYPES.indexOf(m.type))
    c.uint8array.encode(state, m.type === 'want' || m.type === 'none' ? m.pk : m.entry)
  },
  decode (state) {
    if (c.string.decode(state) !== REGISTRY_TOPIC) throw LumeError.badFrame('not a registry message')
    const type = TYPES[c.uint8.decode(state)]
    const body = c.uint8array.decode(state)
    if (type === 'want' || type === 'none') return { type, pk: body }
    if (type === 'entry' || type === 'have') return { type, entry: body }
    throw LumeError.badFrame('unknown registry message type')
  }
}

export function encodeFloodMessage (message: RegistryFloodMessage): Uint8Array {
  return encode(messageCodec, message)
}

/** The registry message in a flood payload, or null when the payload is another topic's or malformed. */
export function decodeFloodMessage (payload: Uint8Array): RegistryFloodMessage | null {
  try {
    return decode(messageCodec, payload)
  } catch {
    return null
  }
}
