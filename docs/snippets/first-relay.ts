// snippet: first-relay — a private network, a relay with a plugin, a client call.
import { createTestnet } from '@lume/testnet'
import { createRelay } from '@lume/relay'
import { RpcConnection } from '@lume/rpc'
import { PLUGIN_API_VERSION, stringCodec } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'

const testnet = await createTestnet() // a private HyperDHT on loopback
const relay = await createRelay({
  keyPair: generateKeyPair(),
  bootstrap: testnet.bootstrap,
  host: '127.0.0.1',
  plugins: [{
    name: 'hello',
    apiVersion: PLUGIN_API_VERSION,
    start (api) {
      api.registerMethod({ name: 'greet', request: stringCodec, response: stringCodec, handler: (who: string) => `hello, ${who}` })
    }
  }]
})

const connection = RpcConnection.open(testnet.createNode().connect(relay.publicKey))
const greet = { name: 'hello.greet', request: stringCodec, response: stringCodec }
const { value, answer } = await connection.callSigned(greet, 'world')
console.log(value, '— signed by', Buffer.from(answer.relayPublicKey).toString('hex').slice(0, 8))

connection.destroy()
await relay.close()
await testnet.close()
