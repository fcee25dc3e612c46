import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { pino } from 'pino'
import { createDhtNode } from '@lume/dht'
import { DhtCache } from '@lume/dht-cache'
import { Flood, floodPlugin } from '@lume/dht-flood'
import { discoveryPlugin } from '@lume/peer-discovery/node'
import { registryPlugin, type RegistryStore } from '@lume/registry'
import { LmdbStore } from '@lume/registry/lmdb'
import { RedisStore } from '@lume/registry/redis'
import { createRelay, type Relay } from '@lume/relay'
import { fromHex, silentLogger, toHex, type KeyPair, type Logger } from '@lume/types'
import type { NodeConfig } from './config.js'
import { RelayMetrics } from './metrics.js'
import { STATUS_PAGE } from './status-page.js'

/** A running relay node: the relay, its HTTP endpoint (metrics and status page), and how to stop it. */
export interface RelayNode {
  relay: Relay
  metrics: RelayMetrics
  /** `http://host:port` of /metrics and the status page. */
  httpUrl: string
  close: () => Promise<void>
}

/**
 * Start a production-style relay: registry (LMDB or Redis), flood, cache,
 * discovery announcements (DHT and IRC), the WebSocket endpoint, and an HTTP
 * server with Prometheus `/metrics` and a live status page at `/`.
 */
export async function startRelayNode (config: NodeConfig, keyPair: KeyPair, logger: Logger = silentLogger): Promise<RelayNode> {
  // What start-up opened, closed in reverse if a later step fails: a relay
  // that cannot start must not keep its sockets and store (systemd restarts it).
  const opened: Array<() => Promise<void> | void> = []
  const undo = async (): Promise<void> => {
    for (const close of opened.reverse()) {
      try { await close() } catch (err) { logger.error({ err }, 'closing after a failed start') }
    }
  }
  try {
    return await start(config, keyPair, logger, opened)
  } catch (err) {
    await undo()
    throw err
  }
}

async function start (config: NodeConfig, keyPair: KeyPair, logger: Logger, opened: Array<() => Promise<void> | void>): Promise<RelayNode> {
  const store: RegistryStore = config.registry.store === 'redis'
    ? await RedisStore.connect(config.registry.redisUrl, { maxKeys: config.registry.maxKeys, maxPins: config.registry.maxPins })
    : await LmdbStore.open(join(config.dir, 'registry'), { maxKeys: config.registry.maxKeys, maxPins: config.registry.maxPins })
  opened.push(async () => await store.close())
  const flood = new Flood({ keyPair, logger })
  opened.push(() => flood.close())
  const cache = new DhtCache({ flood, maxEntries: config.cache.maxEntries, maxBytes: config.cache.maxBytes })
  let relay: Relay | null = null
  const metrics = new RelayMetrics({ relay: () => relay, store, cache, flood })
  const bootstrap = config.dht.bootstrap.map((a) => ({ host: a.slice(0, a.lastIndexOf(':')), port: Number(a.slice(a.lastIndexOf(':') + 1)) }))
  const host = config.dht.host ?? (bootstrap.length > 0 && bootstrap.every((b) => b.host.startsWith('127.')) ? '127.0.0.1' : '0.0.0.0')
  // Records go on the DHT through a node of our own (the relay's is created inside createRelay).
  const discoveryDht = config.discovery.dht ? createDhtNode({ bootstrap, host }) : null
  if (discoveryDht !== null) opened.push(async () => { await discoveryDht.destroy() })
  const dhtKeyPair = { publicKey: Buffer.from(keyPair.publicKey), secretKey: Buffer.from(keyPair.secretKey) }
  // createRelay closes what it opened itself when it throws.
  relay = await createRelay({
    keyPair,
    bootstrap,
    host,
    port: config.dht.port,
    logger,
    observe: metrics.observe,
    requirePlugins: true,
    plugins: [
      floodPlugin(flood),
      cache.plugin,
      registryPlugin({ store, flood, maxData: config.registry.maxData, operators: config.registry.operators.map((k) => fromHex(k, 32)) }),
      discoveryPlugin({ addresses: config.discovery.addresses, ...(discoveryDht === null ? {} : { dht: { store: discoveryDht, keyPair: dhtKeyPair } }), irc: config.discovery.irc })
    ],
    ...(config.websocket.port === undefined ? {} : { websocket: { port: config.websocket.port, host: config.websocket.host } })
  })
  const running = relay
  opened.push(async () => { await running.close('start failed') })
  const started = Date.now()
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/metrics') {
      metrics.registry.metrics().then((text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text), () => res.writeHead(500).end())
    } else if (path === '/status.json') {
      void store.count().then((registryKeys) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        publicKey: toHex(keyPair.publicKey),
        uptimeSeconds: (Date.now() - started) / 1000,
        plugins: relay?.pluginNames ?? [],
        connections: relay?.connectionCount ?? 0,
        registryKeys,
        cacheHits: cache.stats.hits,
        samples: metrics.recent()
      })))
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(STATUS_PAGE)
    } else {
      res.writeHead(404).end()
    }
  })
  // A taken HTTP port is a start-up failure, not an unhandled 'error' event.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.http.port, config.http.host, () => { server.off('error', reject); resolve() })
  })
  const address = server.address() as { port: number }
  return {
    relay,
    metrics,
    httpUrl: `http://${config.http.host}:${address.port}`,
    close: async () => {
      server.close()
      server.closeAllConnections()
      await running.close()
      await discoveryDht?.destroy()
      await store.close()
    }
  }
}

/** The pino logger a relay node runs with. */
export function nodeLogger (level: NodeConfig['log']['level']): Logger {
  return pino({ level }, pino.destination(2))
}
