#!/usr/bin/env node
// lume-demo: the whole system on one machine (see demo.ts).
import { parseArgs } from 'node:util'
import { runDemo } from './demo.js'

const { values } = parseArgs({ options: { relays: { type: 'string', default: '5' }, help: { type: 'boolean', short: 'h', default: false } } })
if (values.help) {
  console.log('usage: lume-demo [--relays N]   start N relay processes on a private DHT and show them working (N = 3..20)')
} else {
  const relays = Number(values.relays)
  if (!Number.isInteger(relays) || relays < 3 || relays > 20) {
    console.error('--relays must be 3..20')
    process.exitCode = 2
  } else {
    process.exitCode = (await runDemo({ relays })) === 0 ? 0 : 1
  }
}
