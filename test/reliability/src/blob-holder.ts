import type HyperDHT from 'hyperdht'
import type { Server as DHTServer } from 'hyperdht'
import { encode, slice } from '@lume/bao-stream'
import { BLOB_K, BlobMethods } from '@lume/blobs'
import { MethodRegistry, RpcConnection } from '@lume/rpc'
import { CoreMethods } from '@lume/rpc/core'
import { toHex } from '@lume/types'
import { generateKeyPair, type KeyPair } from '@lume/crypto'

/**
 * A hostile relay that holds one blob (it made it, so its slices verify)
 * and answers `blobs.info` at once but content reads only when the attack
 * lets go (and then, if told to lie, with other bytes): the holder a relay's `blobs.fetch` must not trust with its time.
 * It listens on its own key and has no connection to the relay, so the
 * relay's fetch dials it afresh.
 */
export class BlobHolder {
  private letGo: () => void = () => {}
  private readonly gate = new Promise<void>((resolve) => { this.letGo = resolve })
  private readingStarted: () => void = () => {}
  /** Resolves when the first content read (not the size proof) arrived. */
  readonly reading = new Promise<void>((resolve) => { this.readingStarted = resolve })

  private constructor (private readonly server: DHTServer, readonly keyPair: KeyPair, readonly hash: Uint8Array, readonly size: number) {}

  /**
   * Listen on a fresh key from `dht`, holding `data`. With `lieWith`
   * (bytes of the same length), it proves the size honestly but serves
   * content slices cut from those bytes instead.
   */
  static async listen (dht: HyperDHT, data: Uint8Array, options: { lieWith?: Uint8Array } = {}): Promise<BlobHolder> {
    const keyPair = generateKeyPair()
    const encoded = encode(data, { k: BLOB_K })
    const served = options.lieWith === undefined ? encoded : encode(options.lieWith, { k: BLOB_K })
    const methods = new MethodRegistry()
    const server = dht.createServer({}, (socket) => { RpcConnection.open(socket, { methods }) })
    const holder = new BlobHolder(server, keyPair, encoded.hash, data.byteLength)
    methods.register({ ...CoreMethods.info, handler: () => ({ version: '0.0.0', publicKey: toHex(keyPair.publicKey), plugins: ['blobs'], methods: ['blobs.info', 'blobs.read'] }) })
    methods.register({ ...BlobMethods.info, handler: () => data.byteLength })
    methods.register({
      ...BlobMethods.read,
      handler: async ({ start, len }) => {
        // The size proof (an empty range at the end) at once; content only when let go.
        if (len === 0) return slice(encoded.bytes, start, len, { k: BLOB_K })
        holder.readingStarted()
        await holder.gate
        return slice(served.bytes, start, len, { k: BLOB_K })
      }
    })
    await server.listen({ publicKey: Buffer.from(keyPair.publicKey), secretKey: Buffer.from(keyPair.secretKey) })
    return holder
  }

  /** Answer content reads from now on. */
  release (): void {
    this.letGo()
  }

  /** Stop listening. */
  async close (): Promise<void> {
    this.letGo()
    await this.server.close()
  }
}
