/**
 * @packageDocumentation
 * Content-addressed blobs on relays. Uploads are signed by their owner and
 * pinned within quotas; downloads come from every relay that holds a blob at
 * once, each range verified against the BLAKE3 root (Bao, 16 KiB groups)
 * before a byte of it is handed on; blobs can be encrypted on the client
 * (XChaCha20-Poly1305 per chunk group) and shared as a link. Runs in
 * browsers; the relay plugin is `@lume/blobs/relay-plugin`, Node stream
 * helpers are in `@lume/blobs/node`.
 *
 * @example
 * ```ts
 * import { BlobClient } from '@lume/blobs'
 *
 * const blobs = new BlobClient({ pool, relays: [a, b, c] })
 * const { link } = await blobs.put(bytes, { keyPair, encrypt: true })
 * const stream = blobs.get(link, { onProgress: (n, total) => console.log(n, total) })
 * ```
 */
export { BlobClient, type BlobClientInit, type PutOptions, type PutResult, type GetOptions, type OpenOptions, type BlobReader } from './lib/client.js'
export { encodeLink, decodeLink, type ReadCapability } from './lib/capability.js'
export { MIRROR_PURPOSE, type MirrorResult, type Restored } from './lib/mirror.js'
export { BlobMethods, type BeginRequest, type WriteRequest, type FinishRequest, type PinRequest, type ReadRequest } from './lib/methods.js'
export { verifiedRanges, proveSize, type RangeSource, type DownloadOptions } from './lib/downloader.js'
export { sealedSize, plainSize, sealGroup, openGroup, TAG_BYTES, PLAIN_GROUP_BYTES, KEY_BYTES } from './lib/encryption.js'
export { signPin, verifyPin, signUnpin, verifyUnpin, pinMessage, holderKey } from './lib/pin.js'
export { BlobLimitKinds, BlobLimitDefaults } from './lib/limits.js'
export { BLOB_K, GROUP_BYTES, MAX_WRITE_BYTES, MAX_READ_BYTES, MAX_HOLDERS, PIN_CONTEXT, UNPIN_CONTEXT, HOLDER_CONTEXT } from './lib/constants.js'
