import { createReadStream } from 'node:fs'
import { writeFile, rename } from 'node:fs/promises'
import { OutboardEncoder } from '../lib/outboard-encoder.js'
import type { Encoded, TreeOptions } from '../lib/encode.js'

/** Build the outboard of everything a readable stream yields (content never all in memory). */
export async function outboardFromStream (source: AsyncIterable<Uint8Array>, options: TreeOptions & {
  /** Called with the bytes read so far, as reading goes. */
  onProgress?: (bytes: number) => void
} = {}): Promise<Encoded> {
  const encoder = new OutboardEncoder(options)
  for await (const chunk of source) {
    encoder.push(chunk)
    options.onProgress?.(encoder.bytesIn)
  }
  return encoder.finish()
}

/** Build the outboard of a file, streaming it from disk. */
export async function outboardFromFile (path: string, options: TreeOptions & {
  /** Called with the bytes read so far, as reading goes. */
  onProgress?: (bytes: number) => void
} = {}): Promise<Encoded> {
  return await outboardFromStream(createReadStream(path, { highWaterMark: 1 << 20 }), options)
}

/** Build a file's outboard and write it to `outPath` (atomically); returns the hash. */
export async function writeOutboardFile (path: string, outPath: string, options: TreeOptions & {
  /** Called with the bytes read so far, as reading goes. */
  onProgress?: (bytes: number) => void
} = {}): Promise<Uint8Array> {
  const { hash, bytes } = await outboardFromFile(path, options)
  const temp = `${outPath}.${process.pid}.tmp`
  await writeFile(temp, bytes)
  await rename(temp, outPath)
  return hash
}
