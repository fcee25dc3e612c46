import { Readable } from 'node:stream'
import type { ReadableStream as NodeWebStream } from 'node:stream/web'
import type { BlobClient, GetOptions } from '../lib/client.js'
import type { ReadCapability } from '../lib/capability.js'

/** {@link BlobClient.get} as a Node `Readable` (verified, in order, with backpressure). */
export function blobReadable (client: BlobClient, target: Uint8Array | string | ReadCapability, options: GetOptions = {}): Readable {
  return Readable.fromWeb(client.get(target, options) as unknown as NodeWebStream<Uint8Array>)
}
