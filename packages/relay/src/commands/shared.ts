import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Address } from '@lume/dht'
import { loadConfig, type Config } from '@lume/cfg'
import { relayConfigSchema, type RelayConfig } from '../lib/config.js'

/** The relay directory: `--dir`, else `$LUME_RELAY_DIR`, else `~/.lume-relay`. */
export function relayDir (argv: readonly string[]): string {
  const i = argv.findIndex((a) => a === '--dir' || a.startsWith('--dir='))
  if (i !== -1) {
    const arg = argv[i] as string
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1]
    if (value !== undefined) return resolve(value)
  }
  return resolve(process.env.LUME_RELAY_DIR ?? join(homedir(), '.lume-relay'))
}

/** Flags that are the CLI's own, not config keys. */
const CLI_FLAGS = new Set(['--dir', '--testnet', '--count', '--help', '-h'])

/** The relay config from `<dir>`, `LUME_*` and flags (the CLI's own flags removed). */
export async function relayConfig (argv: readonly string[]): Promise<Config<RelayConfig>> {
  const dir = relayDir(argv)
  const configArgs: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const name = arg.split('=')[0] as string
    if (CLI_FLAGS.has(name)) {
      if (!arg.includes('=') && (name === '--dir' || name === '--count')) i++
      continue
    }
    configArgs.push(arg)
  }
  return await loadConfig({ schema: relayConfigSchema, dir, argv: configArgs })
}

/** Parse `host:port` bootstrap entries. */
export function parseBootstrap (list: readonly string[]): Address[] {
  return list.map((entry) => {
    const i = entry.lastIndexOf(':')
    const port = Number(entry.slice(i + 1))
    if (i <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new RangeError(`dht.bootstrap entries must be host:port, got "${entry}"`)
    return { host: entry.slice(0, i), port }
  })
}

/** Loopback when every bootstrap node is on loopback (a local testnet), else all interfaces. */
export function defaultHost (bootstrap: readonly Address[]): string {
  const loopback = bootstrap.length > 0 && bootstrap.every((a) => a.host === 'localhost' || a.host.startsWith('127.'))
  return loopback ? '127.0.0.1' : '0.0.0.0'
}
