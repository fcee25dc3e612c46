// One relay of the browser test, in a process of its own: flood, registry,
// its WebSocket endpoint, and the test's two small plugins — a fortune (the
// quorum question) and a blob store — in the role the test gives it.
import { createRelay } from '@lume/relay'
import { Flood, floodPlugin } from '@lume/dht-flood'
import { MemoryStore, registryPlugin } from '@lume/registry'
import { encode as baoEncode } from '@lume/bao-stream'
import { runPeerProgram } from '@lume/testnet'
import { createInvite } from '@lume/peer-discovery'
import { bytesCodec, fromHex, PLUGIN_API_VERSION, stringCodec, uintCodec } from '@lume/types'
import { keyPairFromSeed } from '@lume/crypto'
import { blobContent, type RelayCommands, type Role } from './relay-commands.js'

await runPeerProgram(async ({ bootstrap, seed }) => {
  const keyPair = keyPairFromSeed(seed)
  const flood = new Flood({ keyPair })
  const content = blobContent()
  const { bytes } = baoEncode(content, { k: 4 })
  let role: Role = 'honest'
  let served = bytes
  const relay = await createRelay({
    keyPair,
    bootstrap,
    host: '127.0.0.1',
    announce: false,
    websocket: { port: 0, host: '127.0.0.1' },
    plugins: [floodPlugin(flood), registryPlugin({ store: new MemoryStore(), flood }), {
      name: 'demo',
      apiVersion: PLUGIN_API_VERSION,
      start (api) {
        api.registerMethod({ name: 'fortune', request: stringCodec, response: stringCodec, handler: (q: string) => role === 'liar' ? 'buy my coin' : `"${q}": the answer is ${q.length % 43}` })
      }
    }, {
      name: 'blob',
      apiVersion: PLUGIN_API_VERSION,
      start (api) {
        api.registerMethod({ name: 'size', request: bytesCodec, response: uintCodec, handler: () => content.length })
        api.registerMethod({
          name: 'get',
          request: bytesCodec,
          response: bytesCodec,
          stream: true,
          handler: function * () {
            for (let at = 0; at < served.length; at += 65_536) yield served.subarray(at, at + 65_536)
          }
        })
      }
    }]
  })
  const handlers: { [K in keyof RelayCommands]: (args: RelayCommands[K]['args']) => Promise<RelayCommands[K]['result']> } = {
    info: async () => ({ publicKey: relay.publicKeyHex, websocketUrl: relay.websocketUrl ?? '' }),
    role: async ({ role: next }) => {
      role = next
      // A corrupt relay flips one byte in the middle of what it serves.
      served = next === 'corrupt' ? bytes.slice() : bytes
      if (next === 'corrupt') served[Math.floor(served.length / 2)]! ^= 1
      return {}
    },
    connect: async ({ publicKey }) => {
      await relay.connect(fromHex(publicKey, 32))
      await flood.whenNeighbours(1)
      return {}
    },
    neighbours: async ({ count }) => {
      await flood.whenNeighbours(count)
      return {}
    },
    invite: async () => ({ link: createInvite(keyPair, ['dht', relay.websocketUrl ?? '']) })
  }
  return { publicKey: relay.publicKeyHex, handlers, close: async () => { await relay.close({ reason: 'test over' }) } }
})
