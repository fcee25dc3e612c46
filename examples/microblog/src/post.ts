import { fromHex, LumeError, toHex } from '@lume/types'
import { sign, verify, type KeyPair } from '@lume/crypto'
import { checkEnvelope, type PrivateEnvelope } from './private.js'

/** What an author signs to make a post: the context, then the post's JSON without its `sig`. */
export const POST_CONTEXT = 'lume/microblog/post/v1'
/** Largest post, feed record or private body, bytes: a reader never fetches more than this for one. */
export const MAX_POST_BYTES = 256 * 1024
/** Longest profile name, characters. */
export const MAX_NAME_LENGTH = 50
/** Longest profile bio, characters. */
export const MAX_BIO_LENGTH = 280

const HASH = /^[0-9a-f]{64}$/
const SIGNATURE = /^[0-9a-f]{128}$/

/** A post, as stored in its blob (JSON). Likes and replies are posts that point at another. */
export interface Post {
  v: 1
  /** The author's public key, hex. */
  author: string
  text: string
  /** Milliseconds since the epoch. */
  ts: number
  /** The author's previous post (hash, hex), or null: each feed is a chain. */
  prev: string | null
  /** The post this one replies to. */
  replyTo?: string
  /** The post this one likes. */
  likes?: string
  /** A private post: its text is empty here, its body an encrypted blob for the readers named. */
  private?: PrivateEnvelope
}

/** A post and its hash. */
export interface StoredPost extends Post {
  hash: string
  /** A private post: `opened` (its `text` is the decrypted body), `locked` (not for this reader) or `unreadable` (for this reader, but its body could not be fetched or opened). */
  sealed?: 'opened' | 'locked' | 'unreadable'
}

/** What an author says about themselves: shown beside their key, never instead of it. */
export interface Profile {
  name: string
  bio: string
}

/**
 * A feed's record, the blob the feed head points at: the newest post and the
 * author's profile. Changing either writes a new record and moves the head.
 */
export interface FeedRecord {
  v: 1
  kind: 'feed'
  author: string
  /** The newest post (hash, hex), or null before the first. */
  head: string | null
  profile: Profile | null
}

/**
 * The bytes of a post, signed by its author: a post fetched by its hash alone
 * (the parent of a reply) is as trustworthy as one read along the author's chain.
 */
export function encodePost (post: Post, keyPair: KeyPair): Uint8Array {
  const body = JSON.stringify(post)
  const sig = toHex(sign(POST_CONTEXT, new TextEncoder().encode(body), keyPair.secretKey))
  const bytes = new TextEncoder().encode(JSON.stringify({ ...post, sig }))
  if (bytes.byteLength > MAX_POST_BYTES) throw LumeError.tooLarge('post', bytes.byteLength, MAX_POST_BYTES)
  return bytes
}

/**
 * Parse a post's bytes (already verified against its hash): checks its
 * fields, its author's signature, and, when `author` is given, that it is theirs.
 */
export function decodePost (bytes: Uint8Array, author?: Uint8Array): Post {
  const { sig, ...post } = parseJson(bytes, 'a post') as Post & { sig?: unknown }
  if (post.v !== 1 || typeof post.text !== 'string' || typeof post.ts !== 'number' || !Number.isFinite(post.ts) || typeof post.author !== 'string' || !HASH.test(post.author)) throw LumeError.badFrame('not a post')
  if (author !== undefined && post.author !== toHex(author)) throw LumeError.badFrame('not a post by this author')
  for (const ref of [post.prev, post.replyTo, post.likes]) {
    if (ref !== undefined && ref !== null && (typeof ref !== 'string' || !HASH.test(ref))) throw LumeError.badFrame('a post refers to something that is not a hash')
  }
  if (typeof sig !== 'string' || !SIGNATURE.test(sig)) throw LumeError.badSignature('post (unsigned)')
  const body = new TextEncoder().encode(JSON.stringify(post))
  if (!verify(POST_CONTEXT, body, fromHex(sig, 64), fromHex(post.author, 32))) throw LumeError.badSignature('post')
  return post.private === undefined ? post : { ...post, private: checkEnvelope(post.private) }
}

/** The bytes of a feed record. */
export function encodeRecord (record: FeedRecord): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(record))
}

/** Parse a feed record's bytes (verified against its hash, reached from `author`'s signed head). */
export function decodeRecord (bytes: Uint8Array, author: Uint8Array): FeedRecord {
  const record = parseJson(bytes, 'a feed record') as FeedRecord
  if (record.v !== 1 || record.kind !== 'feed' || record.author !== toHex(author)) throw LumeError.badFrame('not a feed record of this author')
  if (record.head !== null && (typeof record.head !== 'string' || !HASH.test(record.head))) throw LumeError.badFrame('a feed record\'s head is not a hash')
  return { v: 1, kind: 'feed', author: record.author, head: record.head, profile: checkProfile(record.profile) }
}

/** A profile as given by a user or read from a record: trimmed, within the lengths, or null. */
export function checkProfile (profile: unknown): Profile | null {
  if (profile === null || profile === undefined) return null
  const { name, bio } = profile as Partial<Profile>
  if (typeof name !== 'string' || typeof bio !== 'string') throw LumeError.badFrame('a profile has a name and a bio')
  if (name.length > MAX_NAME_LENGTH || bio.length > MAX_BIO_LENGTH) throw LumeError.invalidArgument(`a name is at most ${MAX_NAME_LENGTH} characters, a bio ${MAX_BIO_LENGTH}`)
  return { name: name.trim(), bio: bio.trim() }
}

/** A feed head in a registry entry: version 2, then the hash of the feed's record. */
export function encodeHead (recordHash: Uint8Array): Uint8Array {
  const out = new Uint8Array(33)
  out[0] = 2
  out.set(recordHash, 1)
  return out
}

/** The hash of the feed record a feed head points at. */
export function decodeHead (data: Uint8Array): Uint8Array {
  if (data.byteLength !== 33 || data[0] !== 2) throw LumeError.badFrame('not a microblog feed head')
  return data.slice(1)
}

function parseJson (bytes: Uint8Array, what: string): unknown {
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (err) {
    throw LumeError.badFrame(`${what} is not valid JSON`, err)
  }
  if (typeof value !== 'object' || value === null) throw LumeError.badFrame(`${what} is not an object`)
  return value
}
