import { fromHex } from './hex.js'

/**
 * Signing contexts: the first bytes of everything Lume signs, one per purpose,
 * versioned. See docs/protocol.md ("Signatures").
 */
export const SigningContext = {
  /** A relay's signature over an RPC answer. */
  RPC_RESPONSE: 'lume/rpc/response/v1',
  /** A relay's signed address record for discovery. */
  PEER_RECORD: 'lume/discovery/record/v1',
  /** A flood packet's origin signature. */
  FLOOD_PACKET: 'lume/flood/packet/v1',
  /** A cache announcement digest. */
  CACHE_ANNOUNCE: 'lume/cache/announce/v1'
} as const

/** One of the {@link SigningContext} strings. */
export type SigningContext = (typeof SigningContext)[keyof typeof SigningContext]

/** Protomux protocol names, one per channel. See docs/protocol.md. */
export const Protocol = {
  RPC: 'lume/rpc/v1',
  FLOOD: 'lume/flood/v1'
} as const

/**
 * The topic every Lume relay joins on the DHT: SHA-256 of `lume/relay-topic/v1`
 * (written out so this package needs no hash; @lume/crypto's tests recompute it).
 */
export const LUME_TOPIC: Uint8Array = /* @__PURE__ */ fromHex('e38e22cff193c61682f6d1827e19d7a757a4f8e2a270bf7d8ff62e0b1454d55d')

/** SLIP-0044 coin type registered for Lume. */
export const LUME_COIN_TYPE = 1627

/** The default derivation path of a Lume identity: `m/44'/1627'/0'/0'/0'`. */
export const LUME_DERIVATION_PATH = `m/44'/${LUME_COIN_TYPE}'/0'/0'/0'`
