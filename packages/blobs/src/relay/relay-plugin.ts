import { join } from 'node:path'
import { z } from 'zod'
import { ErrorCode, LumeError, PLUGIN_API_VERSION, type Plugin } from '@lume/types'
import { FileBlobStore } from '../store/file-store.js'
import { blobsPlugin } from './blob-plugin.js'

const MiB = 1024 * 1024

/**
 * The blobs config section in a relay config (`plugin.blobs`), every key
 * optional. Unknown keys are errors.
 */
export const configSchema = z.strictObject({
  /** The directory blobs are kept in. @default `<relay dir>/plugins/blobs` */
  path: z.string().optional(),
  /** Largest blob accepted, bytes. */
  maxBlobBytes: z.number().int().positive().default(256 * MiB),
  /** Bytes one owner key may pin here. */
  perKeyBytes: z.number().int().nonnegative().default(256 * MiB),
  /** Bytes all owners together may pin here. */
  maxPinnedBytes: z.number().int().nonnegative().default(4096 * MiB),
  /** Owner keys that may pin one blob here. */
  maxPinsPerBlob: z.number().int().positive().default(64),
  /** Bytes of unpinned (cached) blobs kept; the least recently used go first. */
  cacheBytes: z.number().int().nonnegative().default(1024 * MiB),
  /** Bytes per second served in `blobs.read` answers, all callers together; 0: no cap. */
  serveBytesPerSecond: z.number().int().nonnegative().default(0),
  /** An upload that does not progress by 512 KiB (or to its end) within this long is dropped, ms. */
  uploadIdleMs: z.number().int().positive().default(30_000),
  /** How long an announcement says a blob is held, ms. */
  announceTtlMs: z.number().int().positive().default(600_000),
  /** A `blobs.fetch` may take this long plus its size at `fetchMinBytesPerSecond`, ms. */
  fetchFloorMs: z.number().int().positive().default(30_000),
  /** The slowest average rate a `blobs.fetch` may download at, bytes per second. */
  fetchMinBytesPerSecond: z.number().int().positive().default(256 * 1024)
})

/** The blobs plugin's validated config section. */
export type BlobsRelayPluginConfig = z.output<typeof configSchema>

/** The config section this module's plugin reads: `plugin.blobs`. */
export const pluginName = 'blobs'

/**
 * Blobs as a relay loads them by name (`plugins: ['@lume/blobs']`): opens
 * the file store under the plugin's own directory, announces holdings over
 * the cache directory when `@lume/dht-flood` and `@lume/dht-cache` are loaded.
 */
export default function relayBlobsPlugin (): Plugin {
  let inner: Plugin | null = null
  return {
    name: pluginName,
    apiVersion: PLUGIN_API_VERSION,
    uses: ['flood', 'cache'],
    async start (api) {
      const { path, cacheBytes, ...config } = configSchema.parse(api.config)
      const dir = path ?? (api.dataDir === null ? null : join(api.dataDir))
      if (dir === null) throw new LumeError(ErrorCode.PLUGIN_FAILED, 'blobs need a directory: run the relay with a data directory, or set plugin.blobs.path')
      const store = await FileBlobStore.open(dir, { cacheBytes })
      inner = blobsPlugin({ store, ...config })
      await inner.start(api)
    },
    async stop () {
      await inner?.stop?.()
      inner = null
    }
  }
}
