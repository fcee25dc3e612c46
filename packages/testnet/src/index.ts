/**
 * @packageDocumentation
 * A private HyperDHT on loopback with N peers — in this process for tests,
 * or as child processes (each in a directory of its own) for demos and
 * cross-process tests. Never touches the public bootstrap nodes.
 *
 * @example
 * ```ts
 * import { createTestnet } from '@lume/testnet'
 *
 * const testnet = await createTestnet({ peers: 5 })
 * const [a, b] = testnet.peers
 * console.log('round trip', await a.ping(b.publicKey), 'ms')
 * await testnet.close()
 * ```
 */
export { createTestnet, Testnet, type TestnetInit } from './lib/testnet.js'
export { createProcessTestnet, ProcessTestnet, PeerProcess, type ProcessTestnetInit } from './lib/process-testnet.js'
export { TestPeer, echo, type ConnectionHandler } from './lib/peer.js'
export { createDHTNode, startBootstrapNodes, LOOPBACK } from './lib/dht.js'
export { formatAddresses, parseAddresses } from '@lume/dht'
export type { PeerCommands, PeerCommand, CommandMap } from './lib/ipc.js'
export { runPeerProgram, type PeerProgram, type PeerProgramContext } from './lib/peer-program.js'
export { runDemo, type DemoOptions } from './lib/demo.js'
// The HyperDHT types this package's API uses, from @lume/dht (hyperdht ships none).
export type {
  HyperDHT, Address, DHTOptions, KeyPair as DHTKeyPair, NoiseSecretStream,
  Server as DHTServer, ServerOptions, ConnectOptions, QueryStream, UDXSocket
} from '@lume/dht'
