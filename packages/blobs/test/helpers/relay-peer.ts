// One blob relay in a process of its own (flood, cache, blobs from this
// package's source), for the multi-relay tests and the bench. Its role says
// how it answers `blobs.read`: honestly, with one flipped byte in the first
// range it serves, or never.
import { join } from 'node:path'
import { readdir } from 'node:fs/promises'
import { createRelay, type Relay } from '@lume/relay'
import floodPlugin from '@lume/dht-flood/relay-plugin'
import cachePlugin from '@lume/dht-cache/relay-plugin'
import { runPeerProgram } from '@lume/testnet'
import { fromHex, type CallContext, type Plugin, type PluginAPI } from '@lume/types'
import { keyPairFromSeed } from '@lume/crypto'
import blobsRelayPlugin from '../../src/relay-plugin.js'
import type { BlobRelayCommands, ReadRole } from './relay-commands.js'

await runPeerProgram(async ({ bootstrap, seed, dir }) => {
  const keyPair = keyPairFromSeed(seed)
  let role: ReadRole = 'honest'
  let lied = false
  let relay: Relay | null = null
  // The blobs plugin with its `read` answers passed through the role.
  const blobs = blobsRelayPlugin()
  const acting: Plugin = {
    ...blobs,
    start: async (api) => {
      const wrapped = Object.create(api) as PluginAPI
      wrapped.registerMethod = (method) => {
        if (method.name !== 'read' || 'stream' in method) return api.registerMethod(method)
        const honest = method.handler as unknown as (req: { len: number }, ctx: CallContext) => Promise<Uint8Array>
        return api.registerMethod({
          ...method,
          handler: async (req: never, ctx: CallContext) => {
            if (role === 'staller') return await new Promise<never>(() => {})
            const slice = await honest(req, ctx)
            if (role === 'liar' && !lied && (req as { len: number }).len > 0) {
              lied = true
              const bad = slice.slice()
              bad[bad.length - 100] = (bad[bad.length - 100] as number) ^ 1
              return bad
            }
            return slice
          }
        } as never)
      }
      await blobs.start(wrapped)
    }
  }
  const handlers: { [K in keyof BlobRelayCommands]: (args: BlobRelayCommands[K]['args']) => Promise<BlobRelayCommands[K]['result']> } = {
    start: async ({ config }) => {
      relay = await createRelay({
        keyPair,
        bootstrap,
        host: '127.0.0.1',
        announce: false,
        requirePlugins: true,
        dataDir: join(dir, 'relay'),
        plugins: [floodPlugin(), cachePlugin(), acting],
        pluginConfig: { blobs: config, cache: { announceIntervalMs: 200 } }
      })
      return {}
    },
    role: async ({ role: next }) => { role = next; lied = false; return {} },
    connect: async ({ publicKey }) => {
      await relay?.connect(fromHex(publicKey, 32))
      return {}
    },
    files: async () => ({ paths: (await readdir(join(dir, 'relay'), { recursive: true })).map((p) => join(dir, 'relay', p)) })
  }
  return { publicKey: Buffer.from(keyPair.publicKey).toString('hex'), handlers, close: async () => { await relay?.close({ reason: 'test over' }) } }
})
