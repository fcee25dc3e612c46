import { PLUGIN_API_VERSION, SigningContext, type KeyPair, type Plugin } from '@lume/types'
import { putRecordOnDht, type MutableStore } from '../lib/dht-source.js'
import { signRecordWith, type SignedPeerRecord } from '../lib/record.js'
import { IrcAnswerer, type IrcOptions } from './irc.js'

/** Options for {@link discoveryPlugin}. */
export interface DiscoveryPluginOptions {
  /** Where the relay can be reached (`dht` means "by key over HyperDHT"). @default ['dht'] */
  addresses?: string[] | (() => string[])
  /** Put the record on this DHT (needs the relay's key pair: hyperdht signs mutable values itself). */
  dht?: { store: MutableStore, keyPair: KeyPair }
  /** Answer for the relay in this IRC channel. */
  irc?: IrcOptions
  /** How often the record is re-signed and re-announced (addresses may change). @default 10 min */
  refreshMs?: number
}

/**
 * The relay side of discovery: signs the relay's record and announces it on
 * the configured sources — on the DHT as a mutable value, and in an IRC
 * channel as an answerer — and keeps re-announcing as time passes and
 * addresses change.
 */
export function discoveryPlugin (options: DiscoveryPluginOptions): Plugin {
  let record: SignedPeerRecord | null = null
  let answerer: IrcAnswerer | null = null
  let timer: ReturnType<typeof setInterval> | null = null
  const addresses = (): string[] => typeof options.addresses === 'function' ? options.addresses() : (options.addresses ?? ['dht'])
  return {
    name: 'discovery',
    apiVersion: PLUGIN_API_VERSION,
    async start (api) {
      const refresh = async (): Promise<void> => {
        record = signRecordWith((m) => api.sign(SigningContext.PEER_RECORD, m), api.relayPublicKey, addresses())
        if (options.dht !== undefined) {
          await putRecordOnDht(options.dht.store, options.dht.keyPair, record).catch((err: unknown) => api.logger.warn({ err }, 'putting the record on the DHT failed; will retry'))
        }
      }
      await refresh()
      if (options.irc !== undefined) {
        answerer = new IrcAnswerer(options.irc, api.relayPublicKey, () => record as SignedPeerRecord)
        await answerer.start().catch((err: unknown) => { answerer = null; api.logger.warn({ err }, 'joining the IRC rendezvous failed') })
      }
      timer = setInterval(() => { void refresh() }, options.refreshMs ?? 10 * 60_000)
      timer.unref?.()
    },
    async stop () {
      if (timer !== null) clearInterval(timer)
      await answerer?.close()
    }
  }
}
