/**
 * @packageDocumentation
 * A verifying HTTP gateway: `GET /blake3/<hash>` (with ranges) fetches the
 * content from Lume relays (blobs, from all holders at once) or from an
 * untrusted HTTP origin with its Bao outboard, and serves only bytes that
 * match the hash, so `curl` and `ffmpeg` get verified data.
 */
export { createGateway, type GatewayOptions } from './gateway.js'
export { createOrigin } from './origin.js'
export { httpUpstream, type Upstream } from './upstream.js'
export { verifyingSource, type VerifiedSource, type OpenedContent } from './source.js'
export { lumeSource } from './lume-source.js'
export { prepareDirectory, type Prepared } from './prepare.js'
export { parseRange, type ByteRange } from './range.js'
