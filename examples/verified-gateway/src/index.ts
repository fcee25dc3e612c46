/**
 * @packageDocumentation
 * A verifying HTTP gateway: `GET /blake3/<hash>` (with ranges) fetches the
 * content and its Bao outboard from an untrusted origin and serves only bytes
 * that match the hash, so `curl` and `ffmpeg` get verified data.
 */
export { createGateway, type GatewayOptions } from './gateway.js'
export { createOrigin } from './origin.js'
export { httpUpstream, type Upstream } from './upstream.js'
export { prepareDirectory, type Prepared } from './prepare.js'
export { parseRange, type ByteRange } from './range.js'
