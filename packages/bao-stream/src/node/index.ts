/**
 * @packageDocumentation
 * Node.js streams for `@lume/bao-stream`: a verifying `Transform`, and an
 * outboard built from a readable stream or a file.
 *
 * @example
 * ```ts
 * import { createVerifyTransform, outboardFromFile } from '@lume/bao-stream/node'
 *
 * const { hash, bytes } = await outboardFromFile('video.mp4', { k: 4 })
 * await pipeline(response, createVerifyTransform(hash, { k: 4, outboard: bytes }), process.stdout)
 * ```
 */
export { createVerifyTransform } from './verify-transform.js'
export { outboardFromStream, outboardFromFile, writeOutboardFile } from './outboard-file.js'
