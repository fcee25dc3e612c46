import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Address } from '@lume/dht'
import { loadConfig, type Config, type FlagType } from '@lume/cfg'
import { ErrorCode, LumeError } from '@lume/types'
import { relayConfigSchema, type RelayConfig } from '../lib/config.js'

/** A `lume-relay` command: what it does, its help, and its own flags (besides config keys). */
export interface Command {
  run (argv: readonly string[]): number | Promise<number>
  /** One line for the global usage. */
  summary: string
  /** The command's full help. */
  help: string
}

/** Flags every command that reads the config takes. */
const COMMON_FLAGS: Readonly<Record<string, FlagType>> = { dir: 'string', config: 'string' }

/** Variables with the `LUME_` prefix that are the CLI's own, not config keys. */
const OWN_ENV = ['LUME_RELAY_DIR']

/** The relay directory: `--dir`, else `$LUME_RELAY_DIR`, else `~/.lume-relay`. */
export function relayDirFrom (flag: unknown): string {
  if (typeof flag === 'string' && flag !== '') return resolve(flag)
  return resolve(process.env.LUME_RELAY_DIR ?? join(homedir(), '.lume-relay'))
}

/**
 * The relay config from `<dir>/*.yaml|json`, `LUME_*` and flags, parsed by
 * @lume/cfg alone: an unknown key, variable or flag is `CONFIG_INVALID`
 * with the closest valid one. `flags` are the command's own (typed).
 */
export async function relayConfig (argv: readonly string[], flags: Readonly<Record<string, FlagType>> = {}): Promise<{ cfg: Config<RelayConfig>, dir: string, configFile: string | null }> {
  let dir = ''
  let configFile: string | null = null
  const cfg = await loadConfig({
    schema: relayConfigSchema,
    dir: (given) => { dir = relayDirFrom(given.dir); return dir },
    // --config FILE: read after the relay directory's files (so a checked-in file needs no copying).
    files: (given) => {
      configFile = typeof given.config === 'string' ? resolve(given.config) : null
      return configFile === null ? [] : [configFile]
    },
    argv,
    flags: { ...COMMON_FLAGS, ...flags },
    ignoreEnv: OWN_ENV
  })
  return { cfg, dir, configFile }
}

/** Refuse arguments a command does not take (`CONFIG_INVALID`, like an unknown flag). */
export function noPositionals (cfg: Config<RelayConfig>, command: string, allowed = 0): void {
  const extra = cfg.positionals.slice(allowed)
  if (extra.length > 0) throw new LumeError(ErrorCode.CONFIG_INVALID, `unexpected argument "${extra[0] as string}" (see lume-relay ${command} --help)`)
}

/** Loopback when every bootstrap node is on loopback (a local testnet), else all interfaces. */
export function defaultHost (bootstrap: readonly Address[]): string {
  const loopback = bootstrap.length > 0 && bootstrap.every((a) => a.host === 'localhost' || a.host.startsWith('127.'))
  return loopback ? '127.0.0.1' : '0.0.0.0'
}
