import { HyperDHT, type Address } from '@lume/dht'
import { pino } from 'pino'
import { toHex } from '@lume/types'
import { createRelay } from '../lib/relay.js'
import { loadOrCreateIdentity } from '../lib/identity.js'
import { loadPlugins } from '../lib/load-plugins.js'
import { defaultHost, parseBootstrap, relayConfig, relayDir } from './shared.js'

/** `lume-relay start`: run a relay until SIGINT/SIGTERM. */
export async function start (argv: readonly string[]): Promise<number> {
  const dir = relayDir(argv)
  const cfg = await relayConfig(argv)
  const config = cfg.value
  const logger = pino({ level: config.log.level, base: { relay: undefined } }, pino.destination(2))
  const identity = await loadOrCreateIdentity(dir, (m) => logger.warn(m))
  if (identity.created) console.log(`lume-relay: created a new identity in ${identity.file} (back it up: it is the relay's key)`)

  const backbone = argv.includes('--testnet') ? await startLocalBackbone() : null
  const bootstrap: Address[] = backbone?.bootstrap ?? parseBootstrap(config.dht.bootstrap)
  const host = config.dht.host ?? defaultHost(bootstrap)
  if (bootstrap.length === 0) console.log('lume-relay: no dht.bootstrap given: joining the public HyperDHT')

  const relay = await createRelay({
    keyPair: identity.keyPair,
    bootstrap,
    host,
    port: config.dht.port,
    plugins: await loadPlugins(config.plugins, dir, logger),
    pluginConfig: config.plugin,
    announce: config.announce,
    limits: config.rpc,
    shutdownGraceMs: config.shutdownGraceMs,
    ...(config.websocket.port === undefined ? {} : { websocket: { port: config.websocket.port, host: config.websocket.host, maxConnections: config.websocket.maxConnections } }),
    logger
  })
  const bootstrapText = bootstrap.map((a) => `${a.host}:${a.port}`).join(',')
  console.log(`lume-relay: listening as ${relay.publicKeyHex} (dir ${dir}, plugins: ${relay.pluginNames.join(', ') || 'none'})`)
  if (relay.websocketUrl !== null) console.log(`lume-relay: browsers reach the DHT at ${relay.websocketUrl}`)
  console.log(`lume-relay: ping it with: lume-relay ping ${relay.publicKeyHex}${bootstrapText === '' ? '' : ` --dht.bootstrap=${bootstrapText}`}`)

  await new Promise<void>((resolve) => {
    let stopping = false
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        console.log(`lume-relay: ${signal} again, exiting now`)
        process.exit(1)
      }
      stopping = true
      console.log(`lume-relay: ${signal}: shutting down (finishing requests in flight)…`)
      void relay.close(signal).then(async () => await backbone?.close()).finally(resolve)
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  console.log('lume-relay: stopped')
  logger.flush()
  return 0
}

/** Two DHT nodes on loopback, for `--testnet`: a private network to try the relay on. */
async function startLocalBackbone (): Promise<{ bootstrap: Address[], close: () => Promise<void> }> {
  const first = new HyperDHT({ bootstrap: [], host: '127.0.0.1', ephemeral: false, firewalled: false })
  await first.ready()
  const bootstrap = [{ host: '127.0.0.1', port: first.address().port }]
  const second = new HyperDHT({ bootstrap, host: '127.0.0.1', ephemeral: false, firewalled: false })
  await second.ready()
  console.log(`lume-relay: --testnet: private DHT on loopback, bootstrap ${bootstrap.map((a) => `${a.host}:${a.port}`).join(',')} (id ${toHex(second.defaultKeyPair.publicKey).slice(0, 8)})`)
  return { bootstrap, close: async () => { await second.destroy(); await first.destroy() } }
}
