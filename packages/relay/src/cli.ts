#!/usr/bin/env node
// lume-relay: run and inspect a Lume relay.
import { closest } from '@lume/cfg'
import { ErrorCode, LumeError } from '@lume/types'
import { start } from './commands/start.js'
import { ping } from './commands/ping.js'
import { info, keygen } from './commands/keys.js'
import { init } from './commands/init.js'
import type { Command } from './commands/shared.js'

const commands: Record<string, Command> = { start, init, keygen, info, ping }

const usage = `usage: lume-relay <command> [options]   (lume-relay <command> --help for its options)

commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`).join('\n')}

Configuration: <dir>/*.yaml|json, LUME_* environment variables (LUME_DHT__BOOTSTRAP=...), flags.
An unknown key, variable or flag is an error that names the closest valid one.`

const [name, ...argv] = process.argv.slice(2)
const command = name === undefined ? undefined : Object.hasOwn(commands, name) ? commands[name] : undefined
// Help is looked for before anything is parsed: it must work even when the config does not.
const wantsHelp = argv.includes('--help') || argv.includes('-h')
if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
  console.log(usage)
  process.exitCode = 0
} else if (command === undefined) {
  const near = closest(name, Object.keys(commands))
  console.error(`lume-relay: unknown command "${name}"${near === null ? '' : ` (did you mean ${near}?)`}; commands: ${Object.keys(commands).join(', ')}`)
  process.exitCode = 2
} else if (wantsHelp) {
  console.log(command.help)
  process.exitCode = 0
} else {
  try {
    process.exitCode = await command.run(argv)
  } catch (err) {
    console.error(`lume-relay ${name}: ${LumeError.isInstance(err) ? `${err.code}: ` : ''}${(err as Error).message}`)
    // A mistake on the command line or in the config is a usage error (2); anything else failed (1).
    process.exitCode = LumeError.isInstance(err) && err.code === ErrorCode.CONFIG_INVALID ? 2 : 1
  }
  // Whatever a failed start left behind must not keep the process (and its sockets) alive:
  // systemd's Restart=on-failure needs the exit.
  if (process.exitCode !== 0) {
    setTimeout(() => {
      console.error(`lume-relay ${name}: something still held the process after the failure; exiting`)
      process.exit()
    }, 5000).unref()
  }
}
