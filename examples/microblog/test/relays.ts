import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import HyperDHT from 'hyperdht'
import blobsRelayPlugin from '@lume/blobs/relay-plugin'
import cachePlugin from '@lume/dht-cache/relay-plugin'
import { Flood, floodPlugin } from '@lume/dht-flood'
import { createRelay, type Relay } from '@lume/relay'
import { MemoryStore, registryPlugin } from '@lume/registry'
import type { Testnet } from '@lume/testnet'

/**
 * A relay as the microblog needs one (relay.yaml's plugins), in this
 * process: the flood, the cache directory, the registry (in memory) and
 * `@lume/blobs` (`plugin.blobs` set to `blobs`), its directory in a
 * temporary one that `close` deletes.
 */
export async function microblogRelay (testnet: Testnet, blobs: Record<string, unknown> = {}): Promise<{ relay: Relay, dir: string, close: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lume-microblog-relay-'))
  const keyPair = HyperDHT.keyPair()
  const flood = new Flood({ keyPair })
  const relay = await createRelay({
    keyPair,
    bootstrap: testnet.bootstrap,
    host: '127.0.0.1',
    announce: false,
    dataDir: dir,
    plugins: [floodPlugin(flood), cachePlugin(), registryPlugin({ store: new MemoryStore(), flood }), blobsRelayPlugin()],
    pluginConfig: { blobs }
  })
  return { relay, dir, close: async () => { await relay.close(); await rm(dir, { recursive: true, force: true }) } }
}
