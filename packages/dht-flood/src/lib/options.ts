import type { Logger } from '@lume/types'
import type { KeyPair } from '@lume/crypto'

/** Signs for a key held elsewhere (a relay's `api.sign`), so the flood never holds the secret key. */
export interface FloodSigner {
  publicKey: Uint8Array
  sign (context: string, message: Uint8Array): Uint8Array
}

/** Options for `Flood`; every limit has a default. */
export interface FloodInit {
  /** The node's key, or a signer for it: packets it originates are signed with it. */
  keyPair: KeyPair | FloodSigner
  /** Hops a broadcast travels by default: at degree 6, 100k relays are within 9 hops. @default 10 */
  ttl?: number
  /** Highest TTL accepted: a larger incoming TTL is lowered to it (the TTL is not signed), and `broadcast` refuses more. @default 12 */
  maxTtl?: number
  /** Most peers a packet is forwarded to (a random subset beyond that). @default 16 */
  maxFanout?: number
  /** Largest payload. @default 64 KiB */
  maxPayloadBytes?: number
  /** Packets whose sequence (a clock) is older than this are replays and dropped. @default 5 min */
  maxAgeMs?: number
  /** …and those this far in the future too. @default 1 min */
  maxSkewMs?: number
  /** Packets and direct messages accepted per neighbour per second, and the burst. @default { perSecond: 500, burst: 1000 } */
  rate?: { perSecond: number, burst: number }
  /**
   * Packets remembered for duplicate detection. A packet not newer than what
   * the set can still vouch for (see docs/protocol.md, "Flood") is refused as
   * stale, so keep it above the accepted packet rate × `maxSkewMs`.
   * @default 100,000
   */
  seenCapacity?: number
  /**
   * Hold each forward back this long, telling neighbours at once that this
   * node has the packet (`have`), and then send it only to neighbours that
   * have not said so: fewer duplicate sends, this much more latency per hop.
   * 0 forwards at once. @default 0
   */
  collectMs?: number
  /** Most forwards held back at once (more go out at once), and most early `have`s remembered. @default 10,000 */
  maxPending?: number
  /** Most packet bytes held back at once (more go out at once). @default 16 MiB */
  maxPendingBytes?: number
  /** Where the flood logs dropped packets and peer faults. @default silent */
  logger?: Logger
}

/** How packets reach one peer; the channel binding provides it. */
export interface PeerTransport {
  /**
   * Send an encoded flood packet. Return false when the link is backed up:
   * nothing more is sent to this peer until `Flood.resume` is called.
   */
  packet (bytes: Uint8Array): boolean | void
  /** Send a direct message; false when backed up, as for `packet`. */
  direct (bytes: Uint8Array): boolean | void
  /** Send a `have` (only used with `collectMs`). */
  have? (bytes: Uint8Array): boolean | void
  /** Charge one incoming message to limits the transport keeps (e.g. the peer's address); false drops it. */
  admit? (): boolean
}

/** The events of a `Flood`. */
export interface FloodEvents {
  /** A broadcast reached this node (once per packet). `from` is the neighbour it came through. */
  message: { origin: Uint8Array, seq: number, payload: Uint8Array, from: Uint8Array, ttl: number }
  /** A direct message from a neighbour. */
  direct: { from: Uint8Array, payload: Uint8Array }
  /** A neighbour was added (the relay's event of the same name is for any peer). */
  'peer:connect': { remotePublicKey: Uint8Array }
  /** A neighbour was removed. */
  'peer:disconnect': { remotePublicKey: Uint8Array }
}

/** Why packets were dropped, counted. */
export interface FloodStats {
  delivered: number
  forwarded: number
  sent: number
  duplicate: number
  badSignature: number
  malformed: number
  stale: number
  rateLimited: number
  tooLarge: number
  /** Packets or direct messages from a peer that is not a flood neighbour. */
  notNeighbour: number
  /** Packets not sent to a neighbour whose link was backed up. */
  backedUp: number
}
