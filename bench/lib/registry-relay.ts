// One relay of the registry propagation bench, in a process of its own (a
// process-testnet peer): flood and registry on LMDB in its directory, as
// lume-relay runs them, with the write rate raised so the bench can write
// back to back. Command: `connect` (become flood neighbours with a relay).
import { join } from 'node:path'
import { Flood, floodPlugin } from '@lume/dht-flood'
import { registryPlugin } from '@lume/registry'
import { LmdbStore } from '@lume/registry/lmdb'
import { createRelay } from '@lume/relay'
import { runPeerProgram } from '@lume/testnet'
import { fromHex } from '@lume/types'
import { keyPairFromSeed } from '@lume/crypto'

await runPeerProgram(async ({ dir, bootstrap, seed }) => {
  const keyPair = keyPairFromSeed(seed)
  const flood = new Flood({ keyPair })
  const store = await LmdbStore.open(join(dir, 'registry'))
  const fast = { perSecond: 10_000, burst: 10_000 }
  const relay = await createRelay({
    keyPair,
    bootstrap,
    host: '127.0.0.1',
    announce: false,
    plugins: [floodPlugin(flood), registryPlugin({ store, flood, writeRate: { perPeer: fast, perAddress: fast } })]
  })
  return {
    publicKey: relay.publicKeyHex,
    handlers: {
      connect: async ({ publicKey }: { publicKey: string }) => { await relay.connect(fromHex(publicKey, 32)); return {} }
    },
    close: async () => { await relay.close('bench over'); await store.close() }
  }
})
