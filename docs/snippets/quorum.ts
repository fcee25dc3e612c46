// snippet: quorum — ask five relays, accept what three of them sign.
import { createTestnet } from '@lume/testnet'
import { createRelay } from '@lume/relay'
import { RelayPool } from '@lume/rpc-client'
import { PLUGIN_API_VERSION, stringCodec } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'

const testnet = await createTestnet()
const relays = await Promise.all([1, 2, 3, 4, 5].map(async () => await createRelay({
  keyPair: generateKeyPair(),
  bootstrap: testnet.bootstrap,
  host: '127.0.0.1',
  plugins: [{ name: 'time', apiVersion: PLUGIN_API_VERSION, start (api) { api.registerMethod({ name: 'year', request: stringCodec, response: stringCodec, handler: () => '2026' }) } }]
})))

const pool = new RelayPool({ dialer: testnet.createNode(), relays: relays.map((r) => r.publicKey) })
const { value, agreeing } = await pool.query({ name: 'time.year', request: stringCodec, response: stringCodec }, '', { quorum: 3, of: 5 })
console.log(`${value}, agreed by ${agreeing.length} relays`)

await pool.close()
await Promise.all(relays.map(async (r) => await r.close()))
await testnet.close()
