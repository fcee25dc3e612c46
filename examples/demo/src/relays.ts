// The demo's relays: real `lume-relay start` processes, configured by YAML,
// on the demo's private HyperDHT on loopback. Everything they write lives in
// one temporary directory, removed on close.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { formatAddresses, type Address } from '@lume/testnet'

/** One relay process of the demo. */
export interface RelayProcess {
  index: number
  pid: number
  /** Its key, hex, as it printed it ("listening as …"). */
  publicKey: string
  /** Its relay directory (identity, LMDB), under the demo's temporary directory. */
  dir: string
  /** SIGTERM, then its exit code once it exited. */
  stop (): Promise<number | null>
}

/** The relays of the demo. */
export interface RelayNetwork {
  relays: RelayProcess[]
  /** Stop every relay, then remove the temporary directory; the relays' exit codes. */
  close (): Promise<Array<number | null>>
}

/** Options for {@link startRelays}. */
export interface StartRelaysOptions {
  count: number
  /** The private DHT's bootstrap nodes (on loopback). */
  bootstrap: Address[]
  /** The key allowed to call the demo's control methods (`plugin.demo.operator`). */
  operator: Uint8Array
  /** Each line a relay writes that is not one of its usual start/stop lines. */
  onLog: (index: number, line: string) => void
}

const here = fileURLToPath(import.meta.url)
// From the sources (the test), the relay runs from its sources too, through tsx; built, its built CLI.
const fromSource = here.endsWith('.ts')
const require = createRequire(import.meta.url)
/** The shared config every relay reads (`--config`); its directory is where plugin packages resolve from. */
const template = join(dirname(dirname(here)), 'relay.yaml')
// Lines every relay prints; the demo shows its own summary instead.
const USUAL = /^lume-relay: (created a new identity|listening as|ping it with|SIGTERM: shutting down|stopped)/

/** The `lume-relay` command line: node, its flags, the CLI. */
function relayCommand (): string[] {
  const packageJson = require.resolve('@lume/relay/package.json')
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as { bin: Record<string, string> }
  const root = dirname(packageJson)
  if (!fromSource) return [join(root, pkg.bin['lume-relay'] ?? 'dist/cli.js')]
  return ['--conditions=lume-source', '--import', pathToFileURL(require.resolve('tsx')).href, join(root, 'src', 'cli.ts')]
}

/** Start `count` `lume-relay start` processes on a private DHT, each in its own temporary directory. */
export async function startRelays (options: StartRelaysOptions): Promise<RelayNetwork> {
  const root = await mkdtemp(join(tmpdir(), 'lume-demo-'))
  const children: ChildProcess[] = []
  let closing: Promise<Array<number | null>> | null = null
  // Memoised: a second close() waits for the first.
  const close = async (): Promise<Array<number | null>> => await (closing ??= (async () => {
    const codes = await Promise.all(children.map(stop))
    await rm(root, { recursive: true, force: true })
    return codes
  })())
  try {
    const command = relayCommand()
    // Strict config: any LUME_ variable is read as a relay setting, and the runner's own would be refused.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toUpperCase().startsWith('LUME_')))
    const relays = await Promise.all(Array.from({ length: options.count }, async (_, index): Promise<RelayProcess> => {
      const dir = join(root, `relay-${index}`)
      await mkdir(dir)
      await writeFile(join(dir, 'relay.yaml'), [
        '# Written by the demo: what differs per relay. The rest is in examples/demo/relay.yaml.',
        'dht:',
        `  bootstrap: [${formatAddresses(options.bootstrap).map((a) => `'${a}'`).join(', ')}]`,
        'plugin:',
        '  demo:',
        `    operator: '${Buffer.from(options.operator).toString('hex')}'`,
        ''
      ].join('\n'))
      const child = spawn(process.execPath, [...command, 'start', '--dir', dir, '--config', template], { stdio: ['ignore', 'pipe', 'pipe'], env })
      children.push(child)
      const publicKey = await listening(child, (line) => { if (!USUAL.test(line)) options.onLog(index, line) })
      return { index, pid: child.pid ?? 0, publicKey, dir, stop: async () => await stop(child) }
    }))
    return { relays, close }
  } catch (err) {
    await close()
    throw err
  }
}

/** The relay's key once it says it listens; every line goes to `onLine`. Rejects if it exits first. */
async function listening (child: ChildProcess, onLine: (line: string) => void): Promise<string> {
  return await new Promise<string>((resolve, reject) => {
    const last: string[] = []
    const read = (line: string): void => {
      onLine(line)
      last.push(line)
      if (last.length > 5) last.shift()
    }
    createInterface({ input: child.stderr! }).on('line', read)
    createInterface({ input: child.stdout! }).on('line', (line) => {
      read(line)
      const match = /listening as ([0-9a-f]{64})/.exec(line)
      if (match !== null) resolve(match[1]!)
    })
    child.once('exit', (code) => reject(new Error(`lume-relay exited with ${code} before listening: ${last.join(' | ')}`)))
  })
}

async function stop (child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  return await exited
}
