import c from 'compact-encoding'
import { answerSignatureCodec } from '@lume/rpc/signed'
import { floodTopic } from '@lume/dht-flood'
import { cappedArray, hashCodec, LumeError, optionalCodec, publicKeyCodec, uintCodec, type SignedAnswer, type Codec } from '@lume/types'

/** The cache's topic inside flood payloads. */
export const CACHE_TOPIC = 'cache/v1'
/** Most hashes in one announcement. */
export const MAX_HASHES_PER_ANNOUNCE = 512

/**
 * What a relay says over the flood: which answers it holds (for how long),
 * which it no longer holds (`gone`: a withdrawal of its own earlier `have`),
 * or just that it is online.
 */
export type CacheAnnouncement = { type: 'have', ttlMs: number, hashes: Uint8Array[] } | { type: 'gone', hashes: Uint8Array[] } | { type: 'online' }

const hashList = cappedArray(hashCodec, MAX_HASHES_PER_ANNOUNCE)

const announcementCodec: Codec<CacheAnnouncement> = {
  preencode (state, m) {
    state.end++
    if (m.type === 'have') { c.uint.preencode(state, m.ttlMs); hashList.preencode(state, m.hashes) }
    if (m.type === 'gone') hashList.preencode(state, m.hashes)
  },
  encode (state, m) {
    c.uint8.encode(state, m.type === 'have' ? 0 : m.type === 'online' ? 1 : 2)
    if (m.type === 'have') { uintCodec.encode(state, m.ttlMs); hashList.encode(state, m.hashes) }
    if (m.type === 'gone') hashList.encode(state, m.hashes)
  },
  decode (state) {
    const type = c.uint8.decode(state)
    if (type === 1) return { type: 'online' }
    if (type === 2) return { type: 'gone', hashes: hashList.decode(state) }
    if (type !== 0) throw LumeError.badFrame('unknown cache message type')
    return { type: 'have', ttlMs: c.uint.decode(state), hashes: hashList.decode(state) }
  }
}

const topic = floodTopic(CACHE_TOPIC, announcementCodec)

/** The flood payload for a cache announcement. */
export function encodeAnnouncement (m: CacheAnnouncement): Uint8Array {
  return topic.encode(m)
}

/** The announcement in a flood payload, or null for another topic or garbage. */
export function decodeAnnouncement (payload: Uint8Array): CacheAnnouncement | null {
  return topic.decode(payload)
}

/** A cached answer on the wire (`cache.get`): signer ‖ request hash ‖ bytes body ‖ signature block. */
export const cachedAnswerCodec: Codec<SignedAnswer> = {
  preencode (state, a) {
    state.end += 64
    c.uint8array.preencode(state, a.body)
    answerSignatureCodec.preencode(state, a)
  },
  encode (state, a) {
    publicKeyCodec.encode(state, a.relayPublicKey)
    hashCodec.encode(state, a.requestHash)
    c.uint8array.encode(state, a.body)
    answerSignatureCodec.encode(state, a)
  },
  decode (state) {
    const relayPublicKey = publicKeyCodec.decode(state)
    const requestHash = hashCodec.decode(state)
    const body = c.uint8array.decode(state)
    const { timestamp, signature, proof } = answerSignatureCodec.decode(state)
    return { relayPublicKey, requestHash, body, timestamp, signature, proof }
  }
}

/** `cache.get`: the cached answer for a request hash, if this relay holds one. */
export const CacheMethods = {
  get: { name: 'cache.get', request: hashCodec, response: optionalCodec(cachedAnswerCodec) }
}
