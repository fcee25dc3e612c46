import c from 'compact-encoding'
import { floodTopic } from '@lume/dht-flood'
import { LumeError, type Codec } from '@lume/types'

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

/** After the topic, `u8 type ‖ bytes body`: an announced entry (broadcast), or a want answered by have or none (direct). */
const messageCodec: Codec<RegistryFloodMessage> = {
  preencode (state, m) {
    state.end++
    c.uint8array.preencode(state, m.type === 'want' || m.type === 'none' ? m.pk : m.entry)
  },
  encode (state, m) {
    c.uint8.encode(state, TYPES.indexOf(m.type))
    c.uint8array.encode(state, m.type === 'want' || m.type === 'none' ? m.pk : m.entry)
  },
  decode (state) {
    const type = TYPES[c.uint8.decode(state)]
    const body = c.uint8array.decode(state)
    if (type === 'want' || type === 'none') return { type, pk: body }
    if (type === 'entry' || type === 'have') return { type, entry: body }
    throw LumeError.badFrame('unknown registry message type')
  }
}

const topic = floodTopic(REGISTRY_TOPIC, messageCodec)

/** The flood payload for a registry message. */
export function encodeFloodMessage (message: RegistryFloodMessage): Uint8Array {
  return topic.encode(message)
}

/** The registry message in a flood payload, or null when the payload is another topic's or malformed. */
export function decodeFloodMessage (payload: Uint8Array): RegistryFloodMessage | null {
  return topic.decode(payload)
}
