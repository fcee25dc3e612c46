import { z } from 'zod'
import { PLUGIN_API_VERSION, type Plugin } from '@lume/types'
import { blobPlugin } from './blobs.js'

/** The blob store's config section (`plugin.blobs`). Unknown keys are errors. */
export const configSchema = z.strictObject({
  /** Largest blob, bytes. */
  maxBlobBytes: z.number().int().positive().default(256 * 1024),
  /** Bytes stored per owner key. */
  maxBytesPerOwner: z.number().int().positive().default(4 * 1024 * 1024),
  /** Bytes stored in all. */
  maxTotalBytes: z.number().int().positive().default(256 * 1024 * 1024)
})

/** The config section this module's plugin reads: `plugin.blobs`. */
export const pluginName = 'blobs'

/** The blob store as a relay loads it by name, configured from `plugin.blobs`. */
export default function relayBlobPlugin (): Plugin {
  let inner: Plugin | null = null
  return {
    name: pluginName,
    apiVersion: PLUGIN_API_VERSION,
    async start (api) {
      inner = blobPlugin(configSchema.parse(api.config ?? {}))
      await inner.start(api)
    },
    async stop () {
      await inner?.stop?.()
    }
  }
}
