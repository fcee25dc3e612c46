import c from 'compact-encoding'
import { encode as baoEncode, hash as blake3 } from '@lume/bao-stream'
import { ErrorCode, LumeError, PLUGIN_API_VERSION, toHex, type Codec, type Plugin } from '@lume/types'
import { verify } from '@lume/crypto'

/** What an owner signs to store a blob: the context, then the blob's BLAKE3 hash. */
export const BLOB_CONTEXT = 'lume/microblog/blob/v1'
/** Chunk groups of the Bao encodings served (16 KiB). */
export const BLOB_K = 4

/** `blobs.put`: the owner's key, the content, and the owner's signature over its hash. */
export interface BlobUpload {
  owner: Uint8Array
  content: Uint8Array
  signature: Uint8Array
}

const uploadCodec: Codec<BlobUpload> = {
  preencode (state, u) { state.end += 32; c.uint8array.preencode(state, u.content); state.end += 64 },
  encode (state, u) { c.fixed32.encode(state, u.owner); c.uint8array.encode(state, u.content); c.fixed64.encode(state, u.signature) },
  decode (state) { return { owner: c.fixed32.decode(state), content: c.uint8array.decode(state), signature: c.fixed64.decode(state) } }
}

/** The blob methods a relay serves with {@link blobPlugin}. */
export const BlobMethods = {
  /** Store a blob; answers its BLAKE3 hash. */
  put: { name: 'blobs.put', request: uploadCodec, response: c.fixed32 as Codec<Uint8Array> },
  /** The blob's combined Bao encoding (k = 4), streamed in 64 KiB pieces: verify as it arrives. */
  get: { name: 'blobs.get', request: c.fixed32 as Codec<Uint8Array>, response: c.uint8array as Codec<Uint8Array> }
}

/** Options for {@link blobPlugin}. */
export interface BlobPluginOptions {
  /** Largest blob. @default 256 KiB */
  maxBlobBytes?: number
  /** Bytes stored per owner key ("speed bumps": nobody pushes gigabytes at a relay uninvited). @default 4 MiB */
  maxBytesPerOwner?: number
}

/**
 * A relay plugin storing content-addressed blobs (in memory, for the
 * example): uploads are signed by their owner and count against the owner's
 * quota; downloads are Bao encodings the client verifies against the hash.
 */
export function blobPlugin (options: BlobPluginOptions = {}): Plugin {
  const blobs = new Map<string, Uint8Array>()
  const used = new Map<string, number>()
  const maxBlob = options.maxBlobBytes ?? 256 * 1024
  const quota = options.maxBytesPerOwner ?? 4 * 1024 * 1024
  return {
    name: 'blobs',
    apiVersion: PLUGIN_API_VERSION,
    start (api) {
      api.registerMethod({
        ...BlobMethods.put,
        name: 'put',
        maxRequestBytes: maxBlob + 200,
        handler: (upload) => {
          if (upload.content.byteLength > maxBlob) throw LumeError.tooLarge('blob', upload.content.byteLength, maxBlob)
          const hash = blake3(upload.content)
          if (!verify(BLOB_CONTEXT, hash, upload.signature, upload.owner)) throw LumeError.badSignature('blob upload')
          const key = toHex(hash)
          if (blobs.has(key)) return hash
          const owner = toHex(upload.owner)
          const total = (used.get(owner) ?? 0) + upload.content.byteLength
          if (total > quota) throw new LumeError(ErrorCode.RATE_LIMITED, `this key has used its ${quota} bytes on this relay`)
          used.set(owner, total)
          blobs.set(key, baoEncode(upload.content, { k: BLOB_K }).bytes)
          return hash
        }
      })
      api.registerMethod({
        ...BlobMethods.get,
        name: 'get',
        stream: true,
        handler: function * (hash) {
          const encoded = blobs.get(toHex(hash))
          if (encoded === undefined) throw new LumeError(ErrorCode.NOT_FOUND, 'no such blob here')
          for (let at = 0; at < encoded.length; at += 65_536) yield encoded.subarray(at, at + 65_536)
        }
      })
    }
  }
}
