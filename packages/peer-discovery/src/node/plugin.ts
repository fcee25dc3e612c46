import { PLUGIN_API_VERSION, SigningContext, type Plugin } from '@lume/types'
import { encodeRecord, signRecordWith, type SignedPeerRecord } from '../lib/record.js'
import type { IrcAnswerer, IrcOptions } from './irc.js'

/** Options for {@link discoveryPlugin}. */
export interface DiscoveryPluginOptions {
  /** Where the relay can be reached (`dht` means "by key over HyperDHT"). @default ['dht'] */
  addresses?: string[] | (() => string[])
  /**
   * Put the record on the DHT as a mutable value under the relay's key; the
   * relay signs it (`api.putRecord`): the plugin never holds the secret key.
   * @default true
   */
  dht?: boolean
  /** Answer for the relay in these IRC channels (servers may differ: TCP and WebSocket). */
  irc?: IrcOptions | IrcOptions[]
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
  const answerers: IrcAnswerer[] = []
  let timer: ReturnType<typeof setInterval> | null = null
  const addresses = (): string[] => typeof options.addresses === 'function' ? options.addresses() : (options.addresses ?? ['dht'])
  return {
    name: 'discovery',
    apiVersion: PLUGIN_API_VERSION,
    async start (api) {
      const puts = api.metrics.counter<'outcome'>('dht_puts_total', 'Signed peer records put on the DHT, by outcome (ok, failed)', { labelNames: ['outcome'] })
      api.metrics.gauge('irc_rendezvous', 'IRC rendezvous channels this relay answers in', { read: () => answerers.length })
      const refresh = async (): Promise<void> => {
        record = signRecordWith((m) => api.sign(SigningContext.PEER_RECORD, m), api.relayPublicKey, addresses())
        if (options.dht !== false) {
          // The sequence is the record's time in seconds: a newer record replaces an older one.
          await api.putRecord(encodeRecord(record), Math.floor(record.timestamp / 1000)).then(() => puts.inc({ outcome: 'ok' }), (err: unknown) => {
            puts.inc({ outcome: 'failed' })
            api.logger.warn({ err }, 'putting the record on the DHT failed; will retry')
          })
        }
      }
      await refresh()
      const ircs = options.irc === undefined ? [] : Array.isArray(options.irc) ? options.irc : [options.irc]
      // Loaded only when asked for: a relay without IRC needs no irc-framework.
      const { IrcAnswerer } = ircs.length === 0 ? { IrcAnswerer: null } : await import('./irc.js')
      if (IrcAnswerer !== null) {
        await Promise.all(ircs.map(async (irc) => {
          const answerer = new IrcAnswerer(irc, api.relayPublicKey, () => record as SignedPeerRecord)
          try {
            await answerer.start()
            answerers.push(answerer)
          } catch (err) {
            api.logger.warn({ err, host: irc.host, port: irc.port }, 'joining an IRC rendezvous failed')
          }
        }))
      }
      timer = setInterval(() => { void refresh() }, options.refreshMs ?? 10 * 60_000)
      timer.unref?.()
    },
    async stop () {
      if (timer !== null) clearInterval(timer)
      await Promise.all(answerers.map(async (a) => await a.close()))
    }
  }
}
