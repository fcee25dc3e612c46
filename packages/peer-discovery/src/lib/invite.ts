import { cappedArray, decode, encode, fromHex, LumeError, toHex, type Codec } from '@lume/types'
import { type KeyPair } from '@lume/crypto'
import { fromBase64url, toBase64url } from './base64url.js'
import { recordCodec, signRecord, verifyRecord, type SignedPeerRecord } from './record.js'

const FULL = 'lume:invite:'
const SHORT = 'lume:relay:'
/** Most records one invite carries (the inviter and the peers it vouches for). */
export const MAX_INVITE_RECORDS = 8
/**
 * Longest invite link accepted, in characters: above the largest valid
 * invite (8 records of 16 addresses of 255 bytes, about 45 000 characters),
 * so a huge paste is refused before it is decoded.
 */
export const MAX_INVITE_LINK_CHARS = 48 * 1024

const inviteCodec: Codec<SignedPeerRecord[]> = cappedArray(recordCodec, MAX_INVITE_RECORDS)

/**
 * An invite link: `lume:invite:<base64url>` carrying the inviter's signed
 * record plus up to 7 more peers' records. Opening it bootstraps a client
 * with no other source ("invite-only, anyone can invite").
 */
export function createInvite (keyPair: KeyPair, addresses: string[], extra: SignedPeerRecord[] = []): string {
  return FULL + toBase64url(encode(inviteCodec, [signRecord(keyPair, addresses), ...extra].slice(0, MAX_INVITE_RECORDS)))
}

/** A short link for sharing in public: the key and an optional hint, no addresses (resolved through discovery). */
export function createShortInvite (publicKey: Uint8Array, hint?: string): string {
  return `${SHORT}${toHex(publicKey)}${hint === undefined ? '' : `?hint=${encodeURIComponent(hint)}`}`
}

/** What a link holds: the key it points to, and for full invites the verified records. */
export interface OpenedInvite {
  publicKey: Uint8Array
  records: SignedPeerRecord[]
  hint?: string
}

/**
 * Open an invite link of either form. Every record of a full invite is
 * verified (signature, age); a bad link is INVALID_ARGUMENT, a bad record
 * BAD_SIGNATURE or EXPIRED.
 */
export function openInvite (link: string, maxRecordAgeMs = 30 * 24 * 3600_000): OpenedInvite {
  if (link.length > MAX_INVITE_LINK_CHARS) throw LumeError.tooLarge('invite link', link.length, MAX_INVITE_LINK_CHARS)
  const text = link.trim()
  if (text.startsWith(SHORT)) {
    const [keyHex = '', query = ''] = text.slice(SHORT.length).split('?')
    const hint = new URLSearchParams(query).get('hint') ?? undefined
    return { publicKey: fromHex(keyHex, 32), records: [], ...(hint === undefined ? {} : { hint }) }
  }
  if (!text.startsWith(FULL)) throw LumeError.invalidArgument('not a Lume invite link (lume:invite:… or lume:relay:…)')
  let records: SignedPeerRecord[]
  try {
    records = decode(inviteCodec, fromBase64url(text.slice(FULL.length)))
  } catch (err) {
    throw LumeError.invalidArgument('the invite link is damaged', { cause: String(err) })
  }
  if (records.length === 0) throw LumeError.invalidArgument('the invite carries no record')
  for (const record of records) verifyRecord(record, record.publicKey, maxRecordAgeMs)
  return { publicKey: (records[0] as SignedPeerRecord).publicKey, records }
}
