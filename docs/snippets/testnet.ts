// snippet: testnet — a private HyperDHT and peers on this machine, for tests and demos.
import { createTestnet } from '@lume/testnet'

const testnet = await createTestnet({ peers: 3 })
const [a, b] = testnet.peers
const ms = await a!.ping(b!.publicKey) // an encrypted connection by public key, and a round trip
console.log(`3 peers up; round trip ${ms > 0 ? 'ok' : 'failed'}`)
await testnet.close() // everything, so the process can exit
