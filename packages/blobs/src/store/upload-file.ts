import { open, rm, type FileHandle } from 'node:fs/promises'
import { OutboardEncoder } from '@lume/bao-stream'
import { BLOB_K } from '../lib/constants.js'

/**
 * One upload being received: content goes straight to a temp file while its
 * Bao outboard is built alongside (only one chunk group is held in memory).
 */
export class UploadFile {
  private readonly encoder = new OutboardEncoder({ k: BLOB_K })
  private handle: FileHandle | null = null
  private chain: Promise<void> = Promise.resolve()

  private constructor (readonly path: string, readonly size: number) {}

  /** Create the temp file for an upload of `size` bytes. */
  static async create (path: string, size: number): Promise<UploadFile> {
    const upload = new UploadFile(path, size)
    upload.handle = await open(path, 'wx')
    return upload
  }

  /** Bytes received so far. */
  get received (): number {
    return this.encoder.bytesIn
  }

  /** Append bytes (the caller checks order and size). */
  async write (bytes: Uint8Array): Promise<void> {
    const handle = this.handle
    if (handle === null) throw new Error('UploadFile: write after close')
    const at = this.encoder.bytesIn
    this.encoder.push(bytes)
    this.chain = this.chain.then(async () => { await handle.write(bytes, 0, bytes.byteLength, at) })
    await this.chain
  }

  /** Flush the content to disk and return the root hash and outboard. */
  async finish (): Promise<{ hash: Uint8Array, outboard: Uint8Array }> {
    const handle = this.handle
    if (handle === null) throw new Error('UploadFile: finish after close')
    await this.chain
    await handle.sync()
    await handle.close()
    this.handle = null
    const { hash, bytes } = this.encoder.finish()
    return { hash, outboard: bytes }
  }

  /** Drop the upload and its temp file. */
  async discard (): Promise<void> {
    const handle = this.handle
    this.handle = null
    await this.chain.catch(() => {})
    await handle?.close().catch(() => {})
    await rm(this.path, { force: true })
  }
}
