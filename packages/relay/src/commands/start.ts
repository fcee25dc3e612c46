import { dirname } from 'node:path'
import { HyperDHT, parseAddresses, type Address } from '@lume/dht'
import { pino } from 'pino'
import { ErrorCode, fromHex, LumeError, toHex, type BudgetLimits, type RateLimits } from '@lume/types'
import { flattenKinds } from '../lib/config.js'
import { createRelay } from '../lib/relay.js'
import { loadOrCreateIdentity } from '../lib/identity.js'
import { loadPluginModules } from '../lib/load-plugins.js'
import { OpsServer } from '../lib/ops-server.js'
import { pluginSections } from '../lib/plugin-config.js'
import { defaultHost, noPositionals, relayConfig, type Command } from './shared.js'

/** `lume-relay start`: run a relay until SIGINT/SIGTERM. */
export const start: Command = {
  summary: 'run the relay until Ctrl-C (identity created on first start)',
  help: `usage: lume-relay start [--dir DIR] [--testnet] [--KEY=VALUE ...]

Run the relay until SIGINT/SIGTERM. Its identity is created in the relay
directory on first start; configuration comes from <dir>/*.yaml|json, LUME_*
variables (LUME_DHT__BOOTSTRAP=..., two underscores between levels) and flags.
  --dir DIR          relay directory (default $LUME_RELAY_DIR or ~/.lume-relay)
  --config FILE      also read this YAML/JSON file (after the directory's)
  --testnet          start a private DHT on loopback and join it (to try things out)
  --KEY=VALUE        any config key, e.g. --dht.bootstrap=127.0.0.1:49737 --log.level=debug
  --http.port=PORT   serve /metrics, /healthz, /readyz and a status page on 127.0.0.1:PORT (0 = any)
Plugins: plugins: ['@lume/dht-flood', '@lume/registry', ...] and their sections
under plugin.<name>; a plugin that fails stops start-up unless it is also listed
under optionalPlugins. See the README for every key.`,
  run: async (argv) => await run(argv)
}

async function run (argv: readonly string[]): Promise<number> {
  const { cfg, dir, configFile } = await relayConfig(argv, { testnet: 'boolean' })
  noPositionals(cfg, 'start')
  const config = cfg.value
  const logger = pino({ level: config.log.level, base: { relay: undefined } }, pino.destination({ fd: 2, sync: true }))
  // A crash leaves a line in the log (and one on stderr) before the non-zero exit, not silence.
  const fatal = (what: string) => (err: unknown): void => {
    logger.fatal({ err }, `${what}; exiting`)
    console.error(`lume-relay: ${what}: ${err instanceof Error ? err.message : String(err)}`)
    process.exit(70)
  }
  process.on('uncaughtException', fatal('uncaught exception'))
  process.on('unhandledRejection', fatal('unhandled rejection'))
  // Plugins and their config sections first: a bad one fails start-up before any file or socket is made.
  // Packages resolve from the relay directory, the --config file's directory, then beside the relay.
  const unknownOptional = config.optionalPlugins.filter((spec) => !config.plugins.includes(spec))
  if (unknownOptional.length > 0) throw new LumeError(ErrorCode.CONFIG_INVALID, `optionalPlugins: ${unknownOptional.join(', ')} ${unknownOptional.length > 1 ? 'are' : 'is'} not in plugins`)
  const optional = new Set(config.optionalPlugins)
  const loaded = await loadPluginModules(config.plugins, dir, logger, true, configFile === null ? [] : [dirname(configFile)], optional)
  const plugins = loaded.map((l) => l.plugin)
  const pluginConfig = pluginSections(loaded, config.plugin)
  const bootstrapList = cfg.flags.testnet === true ? [] : parseAddresses(config.dht.bootstrap)
  const identity = await loadOrCreateIdentity(dir, (m) => logger.warn(m))
  if (identity.created) console.log(`lume-relay: created a new identity in ${identity.file} (back it up: it is the relay's key)`)

  // The HTTP listener first: a taken port fails start-up before any DHT socket is opened.
  const ops = config.http.port === undefined ? null : await OpsServer.listen({ ...config.http, port: config.http.port }, logger)
  const backbone = cfg.flags.testnet === true ? await startLocalBackbone().catch(async (err: unknown) => { await ops?.close(); throw err }) : null
  const bootstrap: Address[] = backbone?.bootstrap ?? bootstrapList
  const host = config.dht.host ?? defaultHost(bootstrap)
  if (bootstrap.length === 0) console.log('lume-relay: no dht.bootstrap given: joining the public HyperDHT')

  // createRelay releases what it opened when it fails; the backbone is ours to close.
  const relay = await createRelay({
    keyPair: identity.keyPair,
    bootstrap,
    host,
    port: config.dht.port,
    plugins,
    pluginConfig,
    dataDir: dir,
    announce: config.announce,
    limits: {
      ...config.rpc,
      ...config.limits,
      budgets: flattenKinds<BudgetLimits>(config.limits.budgets, ['perPeer', 'perAddress', 'global']),
      rates: flattenKinds<RateLimits>(config.limits.rates, ['perPeer', 'perAddress'])
    },
    relays: config.relays.map((key) => fromHex(key)),
    // A relay without a plugin it was configured with is not the relay the operator asked for,
    // unless the operator said it may run without it.
    requirePlugins: true,
    optionalPlugins: loaded.filter((l) => optional.has(l.spec)).map((l) => l.plugin.name),
    shutdownGraceMs: config.shutdownGraceMs,
    ...(config.websocket.port === undefined ? {} : { websocket: { ...config.websocket, port: config.websocket.port } }),
    ...(config.dhtRelayGateway.port === undefined ? {} : { dhtRelayGateway: { ...config.dhtRelayGateway, port: config.dhtRelayGateway.port } }),
    logger
  }).catch(async (err: unknown) => {
    await backbone?.close()
    await ops?.close()
    throw err
  })
  ops?.attach(relay)
  // Signal handlers before the "listening" line: a SIGTERM right after it must shut down cleanly, not kill.
  const stopped = new Promise<void>((resolve) => {
    let stopping = false
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        console.log(`lume-relay: ${signal} again, exiting now`)
        process.exit(1)
      }
      stopping = true
      console.log(`lume-relay: ${signal}: shutting down (finishing requests in flight)…`)
      void relay.close({ reason: signal }).then(async () => await backbone?.close()).then(async () => await ops?.close()).finally(resolve)
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  const bootstrapText = bootstrap.map((a) => `${a.host}:${a.port}`).join(',')
  console.log(`lume-relay: listening as ${relay.publicKeyHex} (dir ${dir}, plugins: ${relay.pluginNames.join(', ') || 'none'})`)
  if (relay.websocketUrl !== null) console.log(`lume-relay: clients and browsers reach this relay at ${relay.websocketUrl}`)
  if (ops !== null) console.log(`lume-relay: metrics and status page at ${ops.url}/ (/metrics, /healthz, /readyz)`)
  if (relay.gatewayUrl !== null) console.log(`lume-relay: custodial dht-relay gateway at ${relay.gatewayUrl} (pages hand it their DHT key)`)
  console.log(`lume-relay: ping it with: lume-relay ping ${relay.publicKeyHex}${bootstrapText === '' ? '' : ` --dht.bootstrap=${bootstrapText}`}`)

  await stopped
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
