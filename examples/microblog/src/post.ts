import { fromHex, LumeError, toHex } from '@lume/types'

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
}

/** A post and its hash. */
export interface StoredPost extends Post {
  hash: string
}

/** The bytes of a post. */
export function encodePost (post: Post): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(post))
}

/** Parse a post's bytes (already verified against its hash); checks it belongs to `author`. */
export function decodePost (bytes: Uint8Array, author: Uint8Array): Post {
  let post: Post
  try {
    post = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Post
  } catch (err) {
    throw LumeError.badFrame('a post is not valid JSON', err)
  }
  if (post.v !== 1 || typeof post.text !== 'string' || typeof post.ts !== 'number' || post.author !== toHex(author)) throw LumeError.badFrame('not a post by this author')
  if (post.prev !== null) fromHex(post.prev, 32)
  return post
}

/** A feed head in a registry entry: version 1, then the newest post's hash. */
export function encodeHead (hash: Uint8Array): Uint8Array {
  const out = new Uint8Array(33)
  out[0] = 1
  out.set(hash, 1)
  return out
}

/** The newest post's hash from a feed head. */
export function decodeHead (data: Uint8Array): Uint8Array {
  if (data.byteLength !== 33 || data[0] !== 1) throw LumeError.badFrame('not a microblog feed head')
  return data.slice(1)
}
