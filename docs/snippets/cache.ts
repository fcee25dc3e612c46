// snippet: cache — an answer computed once, served by another relay with the first one's signature.
import { createTestnet } from '@lume/testnet'
import { createRelay } from '@lume/relay'
import { Flood, floodPlugin } from '@lume/dht-flood'
import { DhtCache } from '@lume/dht-cache'
import { RpcConnection } from '@lume/rpc'
import { requestHash } from '@lume/rpc/signed'
import { encode, PLUGIN_API_VERSION, stringCodec, toHex, type Plugin } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'

const slow: Plugin = { name: 'calc', apiVersion: PLUGIN_API_VERSION, start (api) { api.registerMethod({ name: 'square', request: stringCodec, response: stringCodec, cacheTtlMs: 60_000, handler: (n: string) => String(Number(n) ** 2) }) } }
const testnet = await createTestnet()
const nodes = await Promise.all([1, 2].map(async () => {
  const keyPair = generateKeyPair()
  const flood = new Flood({ keyPair })
  const cache = new DhtCache({ flood, announceIntervalMs: 100 })
  return { flood, cache, relay: await createRelay({ keyPair, bootstrap: testnet.bootstrap, host: '127.0.0.1', plugins: [floodPlugin(flood), cache.plugin, slow] }) }
}))
await nodes[0]!.relay.connect(nodes[1]!.relay.publicKey)
await Promise.all(nodes.map(async (n) => await n.flood.whenNeighbours())) // each has checked the other is a relay

const square = { name: 'calc.square', request: stringCodec, response: stringCodec }
await RpcConnection.open(testnet.createNode().connect(nodes[0]!.relay.publicKey)).callSigned(square, '12') // relay A computes
await new Promise((resolve) => setTimeout(resolve, 300)) // A announces what it holds
await nodes[1]!.cache.fetch(requestHash(square.name, encode(stringCodec, '12'))) // B fetches it, verified
const { value, answer } = await RpcConnection.open(testnet.createNode().connect(nodes[1]!.relay.publicKey)).callSigned(square, '12')
console.log(`${value}, served by B, signed by ${toHex(answer.relayPublicKey) === nodes[0]!.relay.publicKeyHex ? 'A' : 'B'}`)

await Promise.all(nodes.map(async (n) => await n.relay.close()))
await testnet.close()
