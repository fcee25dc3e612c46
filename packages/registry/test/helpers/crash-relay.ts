// A registry relay as a process-testnet peer, for the crash test: its store
// is named by `store.json` in its directory (LMDB there, or a Redis socket).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runPeerProgram } from '@lume/testnet'
import { createRelay } from '@lume/relay'
import { toHex } from '@lume/types'
import { keyPairFromSeed } from '@lume/crypto'
import { registryPlugin, type RegistryStore } from '../../src/index.js'
import { LmdbStore } from '../../src/lmdb/index.js'
import { RedisStore } from '../../src/redis/index.js'

await runPeerProgram(async ({ dir, bootstrap, seed }) => {
  const config = JSON.parse(await readFile(join(dir, 'store.json'), 'utf8')) as { kind: 'lmdb' } | { kind: 'redis', socket: string }
  const store: RegistryStore = config.kind === 'lmdb'
    ? await LmdbStore.open(join(dir, 'registry'))
    : await RedisStore.connect(config.socket, { prefix: 'crash:' })
  const keyPair = keyPairFromSeed(seed)
  const relay = await createRelay({ keyPair, bootstrap, host: '127.0.0.1', announce: false, plugins: [registryPlugin({ store })] })
  return {
    publicKey: toHex(relay.publicKey),
    handlers: {},
    close: async () => {
      await relay.close()
      await store.close()
    }
  }
})
