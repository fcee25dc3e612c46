#!/usr/bin/env node
// lume-relay: run and inspect a Lume relay.
import { LumeError } from '@lume/types'
import { start } from './commands/start.js'
import { ping } from './commands/ping.js'
import { info, keygen } from './commands/keys.js'

const usage = `usage: lume-relay <command> [options]

commands:
  start    run the relay until Ctrl-C (identity created on first start)
             --dir DIR     relay directory (default $LUME_RELAY_DIR or ~/.lume-relay)
             --testnet     start a private DHT on loopback and join it (to try things out)
             --KEY=VALUE   any config key, e.g. --dht.bootstrap=127.0.0.1:49737 --log.level=debug
  keygen   print a new mnemonic and its public key
  info     print the relay's public key and configuration (with sources)
  ping KEY connect to a relay by public key: core.ping and core.info
             --dht.bootstrap=host:port[,...]  --count=N

Configuration: <dir>/*.yaml|json, LUME_* environment variables (LUME_DHT__BOOTSTRAP=...), flags.`

const [command, ...argv] = process.argv.slice(2)
const commands: Record<string, (argv: readonly string[]) => number | Promise<number>> = { start, keygen, info, ping }
const run = command === undefined ? undefined : commands[command]
if (run === undefined || argv.includes('--help') || argv.includes('-h')) {
  console.log(usage)
  process.exitCode = run === undefined && command !== undefined && command !== 'help' ? 2 : 0
} else {
  try {
    process.exitCode = await run(argv)
  } catch (err) {
    console.error(`lume-relay ${command}: ${LumeError.isInstance(err) ? `${err.code}: ` : ''}${(err as Error).message}`)
    process.exitCode = 1
  }
  // Whatever a failed start left behind must not keep the process (and its sockets) alive:
  // systemd's Restart=on-failure needs the exit.
  if (process.exitCode !== 0) {
    setTimeout(() => {
      console.error(`lume-relay ${command}: something still held the process after the failure; exiting`)
      process.exit()
    }, 5000).unref()
  }
}
