/**
 * @packageDocumentation
 * BLAKE3 and Bao verified streaming. A client holding only a 32-byte BLAKE3
 * hash verifies content as it arrives — from an untrusted relay or gateway —
 * and never sees an unverified byte. Combined and outboard encodings, slices,
 * and chunk groups (`k`: 2^k chunks per leaf; k = 4 is iroh's 16 KiB), with the
 * same root hash as plain BLAKE3. Runs in browsers; Node streams are in
 * `@lume/bao-stream/node`.
 *
 * @example
 * ```ts
 * import { encode, decode, createDecoderStream } from '@lume/bao-stream'
 *
 * const { hash, bytes } = encode(content, { k: 4 })
 * decode(bytes, hash, { k: 4 })                       // the content, verified
 * const verified = (await fetch(url)).body!.pipeThrough(createDecoderStream(hash, { k: 4 }))
 * ```
 */
export { blake3 as hash, CHUNK_LEN } from './lib/blake3.js'
export { encode, outboard, type TreeOptions, type Encoded } from './lib/encode.js'
export { decode, decodeOutboard, decodeSlice, slice, sliceOutboard, outboardSlicePlan, type SlicePiece } from './lib/sync.js'
export { BaoDecoder, type DecoderOptions } from './lib/decoder.js'
export { encodedLen, outboardLen, groupLen, sliceRange, HEADER_LEN, PARENT_LEN, MAX_GROUP_EXPONENT } from './lib/geometry.js'
export { createDecoderStream, type DecoderStream } from './lib/web-stream.js'
export { OutboardEncoder } from './lib/outboard-encoder.js'
export { activeKernel, useKernel, type KernelName } from './lib/kernel.js'
