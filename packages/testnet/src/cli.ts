#!/usr/bin/env node
// lume-testnet: run a local testnet of peer processes.
import { parseArgs } from 'node:util'
import { runDemo } from './lib/demo.js'

const usage = `usage: lume-testnet demo [--peers N] [--dir DIR] [--stay]

  demo      start a private DHT and N peer processes on loopback, show them
            announcing, finding and connecting to each other, then stop
  --peers   number of peer processes (default 5)
  --dir     keep peer state here (default: a temporary directory)
  --stay    keep running, re-checking every 10 s, until Ctrl-C`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    peers: { type: 'string', default: '5' },
    dir: { type: 'string' },
    stay: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false }
  }
})

if (values.help || positionals[0] !== 'demo') {
  console.log(usage)
  process.exit(values.help ? 0 : 2)
}
const peers = Number(values.peers)
if (!Number.isInteger(peers) || peers < 2 || peers > 50) {
  console.error('--peers must be a whole number from 2 to 50')
  process.exit(2)
}
const failures = await runDemo({ peers, stay: values.stay, ...(values.dir === undefined ? {} : { dir: values.dir }) })
process.exitCode = failures === 0 ? 0 : 1
