import { LUME_TOPIC } from '@lume/types'
import { createProcessTestnet, type ProcessTestnet } from './process-testnet.js'
import { formatAddresses } from '@lume/dht'

/** Options for {@link runDemo}. */
export interface DemoOptions {
  /** Peer processes. @default 5 */
  peers?: number
  /** Directory for the peers' state. @default a temporary one */
  dir?: string
  /** Keep running (re-checking every 10 s) until SIGINT/SIGTERM. @default false */
  stay?: boolean
  /** Where the report goes. @default console.log */
  print?: (line: string) => void
}

const short = (hex: string): string => `${hex.slice(0, 6)}…${hex.slice(-4)}`
const ms = (n: number): string => `${n.toFixed(1)} ms`

/**
 * Start a local testnet of peer processes and show it doing real work:
 * announcing on the Lume topic, finding each other through the DHT, and
 * connecting every peer to every other by public key. Returns the number of
 * failed checks (0 when all is well).
 */
export async function runDemo (options: DemoOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line))
  const count = options.peers ?? 5
  print('Lume local testnet')
  const started = performance.now()
  const net = await createProcessTestnet({
    peers: count,
    ...(options.dir === undefined ? {} : { dir: options.dir }),
    onLog: (i, line) => print(`  [peer ${i}] ${line}`)
  })
  let failures = 0
  try {
    print(`  private DHT on loopback, bootstrap ${formatAddresses(net.bootstrap).join(', ')} (never the public nodes)`)
    print(`  ${count} peer processes in ${net.dir}, up in ${ms(performance.now() - started)}:`)
    for (const p of net.peers) print(`    peer ${p.index}  pid ${p.pid}  key ${short(p.publicKey)}`)
    failures += await checkRound(net, print)
    if (options.stay === true) failures += await stayUp(net, print)
  } finally {
    print('Stopping peers…')
    await net.close()
    print(failures === 0 ? 'Done: every check passed.' : `Done: ${failures} check(s) failed.`)
  }
  return failures
}

async function checkRound (net: ProcessTestnet, print: (line: string) => void): Promise<number> {
  let failures = 0
  const topic = Buffer.from(LUME_TOPIC).toString('hex')
  print(`Announcing every peer on the Lume topic ${short(topic)}…`)
  const announced = await Promise.all(net.peers.map(async (p) => await p.request('announce', { topic })))
  print(`  ${announced.length} announcements, slowest ${ms(Math.max(...announced.map((a) => a.ms)))}`)

  const lookup = await net.peers[0]!.request('lookup', { topic })
  const found = net.peers.filter((p) => lookup.peers.includes(p.publicKey)).length
  print(`Looking up the topic from peer 0: found ${found}/${net.peers.length} peers in ${ms(lookup.ms)}`)
  if (found !== net.peers.length) failures++

  print(`Connecting every peer to every other by public key (${net.peers.length * (net.peers.length - 1)} encrypted connections, round trip):`)
  print(`  ${'from \\ to'.padEnd(10)}${net.peers.map((p) => `peer ${p.index}`.padStart(10)).join('')}`)
  for (const a of net.peers) {
    const cells = await Promise.all(net.peers.map(async (b) => {
      if (a === b) return '—'.padStart(10)
      try {
        return ms((await a.request('ping', { publicKey: b.publicKey })).ms).padStart(10)
      } catch (err) {
        failures++
        return `FAIL(${(err as { code?: string }).code ?? 'ERR'})`.padStart(10)
      }
    }))
    print(`  ${`peer ${a.index}`.padEnd(10)}${cells.join('')}`)
  }
  return failures
}

async function stayUp (net: ProcessTestnet, print: (line: string) => void): Promise<number> {
  print('Running until Ctrl-C (re-checking every 10 s)…')
  let failures = 0
  const stop = new AbortController()
  const onSignal = (): void => stop.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    while (!stop.signal.aborted) {
      await new Promise((resolve) => {
        const t = setTimeout(resolve, 10_000)
        stop.signal.addEventListener('abort', () => { clearTimeout(t); resolve(undefined) }, { once: true })
      })
      if (!stop.signal.aborted) failures += await checkRound(net, print)
    }
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  return failures
}
