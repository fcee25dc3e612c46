/**
 * @packageDocumentation
 * A Twitter clone where each user's data lives under their own key: posts are
 * BLAKE3 blobs served with Bao verification, the feed head is a registry
 * entry, following is subscribing. The relay side is {@link blobPlugin} plus
 * the registry plugin.
 */
export { Microblog, type MicroblogInit, type Dialer } from './microblog.js'
export { blobPlugin, BlobMethods, BLOB_CONTEXT, BLOB_K, type BlobPluginOptions, type BlobUpload } from './blobs.js'
export { encodePost, decodePost, encodeRecord, decodeRecord, checkProfile, encodeHead, decodeHead, POST_CONTEXT, MAX_NAME_LENGTH, MAX_BIO_LENGTH, type Post, type StoredPost, type Profile, type FeedRecord } from './post.js'
export { explain } from './explain.js'
