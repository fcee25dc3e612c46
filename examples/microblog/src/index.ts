/**
 * @packageDocumentation
 * A Twitter clone where each user's data lives under their own key: posts are
 * signed blobs in `@lume/blobs` (verified against their BLAKE3 hash), the feed
 * head is a registry entry, following is subscribing, private posts are
 * encrypted blobs whose read capability is sealed to each reader. The relay
 * side is `@lume/blobs` plus the registry.
 */
export { Microblog, MAX_CLOCK_SKEW_MS, type MicroblogInit, type Dialer, type PostOptions } from './microblog.js'
export { sealKey, openKey, checkEnvelope, MAX_AUDIENCE, type PrivateEnvelope } from './private.js'
export { encodePost, decodePost, encodeRecord, decodeRecord, checkProfile, encodeHead, decodeHead, POST_CONTEXT, MAX_POST_BYTES, MAX_NAME_LENGTH, MAX_BIO_LENGTH, type Post, type StoredPost, type Profile, type FeedRecord } from './post.js'
export { explain } from './explain.js'
