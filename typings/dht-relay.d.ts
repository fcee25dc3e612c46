// Typed declarations for the parts of @hyperswarm/dht-relay Lume uses (the package ships none).
declare module '@hyperswarm/dht-relay' {
  import type HyperDHT from 'hyperdht'
  import type { KeyPair, NoiseSecretStream, Server } from 'hyperdht'

  /** Relay one client's DHT traffic over `stream` through `dht`. */
  export function relay (dht: HyperDHT, stream: unknown): void

  /** A DHT client whose traffic goes through a relay (browsers). */
  export default class RelayedDHT {
    constructor (stream: unknown, options?: { keyPair?: KeyPair })
    readonly defaultKeyPair: KeyPair
    ready (): Promise<void>
    connect (remotePublicKey: Uint8Array, options?: { keyPair?: KeyPair }): NoiseSecretStream
    createServer (): Server
    destroy (): Promise<void>
  }
}

declare module '@hyperswarm/dht-relay/ws' {
  /** Adapts a WebSocket (browser or `ws`) to the framed stream dht-relay speaks. */
  export default class Stream {
    constructor (isInitiator: boolean, socket: unknown)
  }
}
