import { decode, encode, LumeError, stringCodec, type Codec } from '@lume/types'

/**
 * One plugin's messages inside flood payloads: `string topic ‖ body`. Plugins
 * share one flood, so each reads only payloads under its own topic.
 */
export interface FloodTopic<T> {
  /** The topic string, versioned (`registry/v1`, `cache/v1`). */
  readonly name: string
  /** The payload for `message`. */
  encode (message: T): Uint8Array
  /** The message in `payload`, or null when it is another topic's or malformed (peers send anything). */
  decode (payload: Uint8Array): T | null
}

/** A {@link FloodTopic} named `name` whose bodies use `body`. */
export function floodTopic<T> (name: string, body: Codec<T>): FloodTopic<T> {
  const codec: Codec<T> = {
    preencode (state, m) {
      stringCodec.preencode(state, name)
      body.preencode(state, m)
    },
    encode (state, m) {
      stringCodec.encode(state, name)
      body.encode(state, m)
    },
    decode (state) {
      if (stringCodec.decode(state) !== name) throw LumeError.badFrame(`not a ${name} message`)
      return body.decode(state)
    }
  }
  return {
    name,
    encode: (message) => encode(codec, message),
    decode (payload) {
      try {
        return decode(codec, payload)
      } catch {
        return null
      }
    }
  }
}
