import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { CONFIG_TEMPLATE } from '../lib/config-template.js'
import { relayDirFrom, type Command } from './shared.js'

/** The file `lume-relay init` writes in the relay directory. */
const CONFIG_FILE = 'relay.yaml'
const CONFIG_FILES = /\.(ya?ml|json)$/

/** `lume-relay init [dir]`: write a commented config into a relay directory; never overwrites. */
export const init: Command = {
  summary: 'write a commented relay.yaml into the relay directory (never overwrites)',
  help: `usage: lume-relay init [DIR | --dir DIR]

Write a commented relay.yaml, every section with its default, into DIR
(default $LUME_RELAY_DIR or ~/.lume-relay), creating the directory. Refuses
if the directory already has a config file (*.yaml, *.yml, *.json): the relay
reads them all, and an existing one is the operator's. Then edit it and run
lume-relay start --dir DIR.`,
  run: async (argv) => await run(argv)
}

async function run (argv: readonly string[]): Promise<number> {
  // `--dir DIR` as every other command takes it, or DIR alone.
  const args = argv.flatMap((a) => a.startsWith('--dir=') ? ['--dir', a.slice('--dir='.length)] : [a])
  const at = args.indexOf('--dir')
  const given = at === -1 ? args : [...args.slice(0, at), ...args.slice(at + 1)]
  const flag = given.find((a) => a.startsWith('-'))
  if (flag !== undefined) {
    console.error(`lume-relay init: unknown option "${flag}" (see lume-relay init --help)`)
    return 2
  }
  if (given.length > 1) {
    console.error(`lume-relay init: unexpected argument "${given[1] as string}" (see lume-relay init --help)`)
    return 2
  }
  if (at !== -1 && given.length !== 1) {
    console.error('lume-relay init: --dir needs a directory (see lume-relay init --help)')
    return 2
  }
  const dir = given[0] === undefined ? relayDirFrom(undefined) : resolve(given[0])
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const existing = (await readdir(dir)).filter((name) => CONFIG_FILES.test(name))
  if (existing.length > 0) {
    console.error(`lume-relay init: ${join(dir, existing[0] as string)} already exists; not overwriting (edit it, or init another directory)`)
    return 1
  }
  const file = join(dir, CONFIG_FILE)
  // 'wx': fail rather than overwrite, even if a file appeared since the check.
  await writeFile(file, CONFIG_TEMPLATE, { flag: 'wx', mode: 0o644 })
  console.log(`lume-relay: wrote ${file}; edit it, then run: lume-relay start --dir ${dir}`)
  return 0
}
