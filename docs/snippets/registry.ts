// snippet: registry — a mutable pointer under your key, read back and verified.
import { createTestnet } from '@lume/testnet'
import { createRelay } from '@lume/relay'
import { RpcConnection } from '@lume/rpc'
import { MemoryStore, RegistryClient, registryPlugin } from '@lume/registry'
import { generateKeyPair, generateMnemonic, keyPairFromMnemonic } from '@lume/crypto'

const testnet = await createTestnet()
const relay = await createRelay({ keyPair: generateKeyPair(), bootstrap: testnet.bootstrap, host: '127.0.0.1', plugins: [registryPlugin({ store: new MemoryStore() })] })

const me = keyPairFromMnemonic(generateMnemonic()) // your identity: keep the 24 words
const registry = new RegistryClient(RpcConnection.open(testnet.createNode().connect(relay.publicKey)))
await registry.set(me, new TextEncoder().encode('my feed head'))
const entry = await registry.get(me.publicKey)
console.log(`revision ${entry?.revision}: ${new TextDecoder().decode(entry?.data)}`)

await relay.close()
await testnet.close()
