/**
 * @packageDocumentation
 * Node helpers for `@lume/blobs`: a blob as a Node `Readable`, and the file
 * store relays keep blobs in.
 *
 * @example
 * ```ts
 * import { blobReadable } from '@lume/blobs/node'
 *
 * blobReadable(client, link).pipe(createWriteStream('video.mp4'))
 * ```
 */
export { blobReadable } from './readable.js'
export { FileBlobStore, type FileBlobStoreOptions } from '../store/file-store.js'
export type { UploadFile } from '../store/upload-file.js'
export type { PinLimits } from '../store/pin-ledger.js'
export { blobsPlugin, type BlobsPluginOptions } from '../relay/blob-plugin.js'
