// hyperdht ships no types. Ours live in @lume/dht (so they ship with it); this
// maps the bare module onto them for code and tests that import hyperdht itself.
declare module 'hyperdht' {
  import type { DhtNode, DhtNodeConstructor } from '@lume/dht'
  export type {
    KeyPair, Address, NoiseSecretStream, ServerOptions, Server, DHTOptions, ConnectOptions, QueryStream, UDXSocket
  } from '@lume/dht'
  const HyperDHT: DhtNodeConstructor
  type HyperDHT = DhtNode
  export default HyperDHT
}
