#!/usr/bin/env node
// lume-relay-node: run the production-style relay with a config file (see relay.config.yaml).
import { dirname, resolve } from 'node:path'
import { loadConfig } from '@lume/cfg'
import { LumeError, toHex } from '@lume/types'
import { loadOrCreateIdentity } from '@lume/relay'
import { nodeConfigSchema } from './config.js'
import { nodeLogger, startRelayNode } from './node.js'

const configFile = resolve(process.argv[2] ?? 'relay.config.yaml')
// A crash leaves a line behind and a non-zero exit (systemd restarts on failure), never silence.
const fatal = (what: string) => (err: unknown): void => {
  console.error(`lume-relay-node: ${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
  process.exit(70)
}
process.on('uncaughtException', fatal('uncaught exception'))
process.on('unhandledRejection', fatal('unhandled rejection'))
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
  // startRelayNode closed what it opened; should anything still hold the process, say so and exit anyway.
  setTimeout(() => {
    console.error('lume-relay-node: something still held the process after the failure; exiting')
    process.exit()
  }, 5000).unref()
}
