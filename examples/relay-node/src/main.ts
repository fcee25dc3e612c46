#!/usr/bin/env node
// lume-relay-node: run the production-style relay with a config file (see relay.config.yaml).
import { dirname, resolve } from 'node:path'
import { loadConfig } from '@lume/cfg'
import { LumeError, toHex } from '@lume/types'
import { loadOrCreateIdentity } from '@lume/relay'
import { nodeConfigSchema } from './config.js'
import { nodeLogger, startRelayNode } from './node.js'

const configFile = resolve(process.argv[2] ?? 'relay.config.yaml')
try {
  const cfg = await loadConfig({ schema: nodeConfigSchema, userFile: configFile, dir: dirname(configFile), argv: process.argv.slice(3) })
  const config = { ...cfg.value, dir: resolve(dirname(configFile), cfg.value.dir) }
  const identity = await loadOrCreateIdentity(config.dir)
  const node = await startRelayNode(config, identity.keyPair, nodeLogger(config.log.level))
  console.log(`lume-relay-node: ${toHex(identity.keyPair.publicKey)} running; metrics ${node.httpUrl}/metrics, status ${node.httpUrl}/`)
  const stop = (signal: string): void => { console.log(`lume-relay-node: ${signal}, stopping…`); void node.close().then(() => console.log('lume-relay-node: stopped')) }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
} catch (err) {
  console.error(`lume-relay-node: ${LumeError.isInstance(err) ? `${err.code}: ` : ''}${(err as Error).message}`)
  process.exitCode = 1
}
