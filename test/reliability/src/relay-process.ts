import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fromHex, type CloseOptions } from '@lume/types'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
/** The production relay: `lume-relay` as built. */
export const RELAY_CLI = join(ROOT, 'packages/relay/dist/cli.js')
/** Its documented production configuration (registry on LMDB, flood, cache, discovery). */
export const PRODUCTION_CONFIG = join(ROOT, 'examples/relay-node/relay.yaml')

/** Options for {@link RelayProcess.start}. */
export interface RelayProcessInit {
  /** The private testnet's bootstrap nodes, as `host:port`. */
  bootstrap: string[]
  /** More `--key=value` flags on top of the production configuration. */
  flags?: string[]
  /** Fail when the relay has not printed its key within this. @default 30000 */
  startTimeoutMs?: number
  /** Run without the WebSocket endpoint (relay.yaml leaves it off; tests turn it on with a port). @default false */
  withoutWebSocket?: boolean
  /** Start in this directory (another relay's {@link RelayProcess.dir}, after {@link RelayProcess.kill}): a restart. @default a new temporary one */
  dir?: string
}

/**
 * The production relay (`lume-relay start` with examples/relay-node's
 * relay.yaml) running as a child process with its directory in a temporary
 * directory, on loopback only. Its memory is read from /proc.
 */
export class RelayProcess {
  private stderrTail: string[] = []
  private exited: Promise<number | null>
  private closing: Promise<void> | null = null

  private constructor (
    private readonly child: ChildProcess,
    /** Its temporary directory (the relay's own is `relay` in it), deleted at close. */
    readonly dir: string,
    /** The relay's public key. */
    readonly publicKey: Uint8Array,
    exited: Promise<number | null>,
    stderrTail: string[],
    /** `http://127.0.0.1:port` of its HTTP ops listener (metrics, status page), or null when it has none. */
    readonly httpUrl: string | null
  ) {
    this.exited = exited
    this.stderrTail = stderrTail
  }

  /** Start a relay node and wait until it says it is running. */
  static async start (init: RelayProcessInit): Promise<RelayProcess> {
    const dir = init.dir ?? await mkdtemp(join(tmpdir(), 'lume-reliability-'))
    const withoutWebSocket = init.withoutWebSocket === true
    const { child, exited, stderrTail } = spawnRelay(PRODUCTION_CONFIG, [
      `--dir=${join(dir, 'relay')}`,
      `--dht.bootstrap=${init.bootstrap.join(',')}`, '--dht.port=0', '--dht.host=127.0.0.1',
      ...(withoutWebSocket ? [] : ['--websocket.port=0', '--websocket.host=127.0.0.1']), '--log.level=warn',
      // relay.yaml's fixed HTTP port would collide with any other relay on this machine.
      '--http.port=0', '--http.host=127.0.0.1',
      ...(init.flags ?? [])
    ])
    try {
      // Its last start-up line ("ping it with") comes after the key and the HTTP listener's address.
      const line = await waitForLine(child, /lume-relay: listening as ([0-9a-f]{64})[\s\S]*?(?:status page at (http:\/\/\S+)\/ [\s\S]*?)?ping it with/, init.startTimeoutMs ?? 30_000, exited)
      return new RelayProcess(child, dir, fromHex(line[1] as string), exited, stderrTail, line[2] ?? null)
    } catch (err) {
      child.kill('SIGKILL')
      await exited
      await rm(dir, { recursive: true, force: true })
      throw new Error(`relay did not start: ${(err as Error).message}\n${stderrTail.join('\n')}`)
    }
  }

  /** The child's process id. */
  get pid (): number {
    return this.child.pid as number
  }

  /** True while the process has not exited. */
  get alive (): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  /** The last lines the relay wrote to stderr (its warnings and errors). */
  get stderr (): string {
    return this.stderrTail.join('\n')
  }

  /** Resident memory now, in bytes (VmRSS). */
  async rss (): Promise<number> {
    return await procStatus(this.pid, 'VmRSS')
  }

  /** Peak resident memory since start, in bytes (VmHWM). */
  async peakRss (): Promise<number> {
    return await procStatus(this.pid, 'VmHWM')
  }

  /** Kill the process at once (SIGKILL: a crash or a power cut), keeping its directory for a restart. */
  async kill (): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL')
    await this.exited
  }

  /** Stop the relay (SIGTERM, then SIGKILL after `graceMs`, default 10 s) and delete its directory. */
  close (options: CloseOptions = {}): Promise<void> {
    const graceMs = options.graceMs ?? 10_000
    this.closing ??= (async () => {
      if (this.alive) {
        this.child.kill('SIGTERM')
        const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs)
        await this.exited
        clearTimeout(timer)
      }
      await rm(this.dir, { recursive: true, force: true })
    })()
    return this.closing
  }
}

/** Start `lume-relay start --config <config> flags…` with no LUME_ variables from this environment. */
export function spawnRelay (config: string, flags: string[]): { child: ChildProcess, exited: Promise<number | null>, stderrTail: string[] } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LUME_')))
  const child = spawn(process.execPath, [RELAY_CLI, 'start', `--config=${config}`, ...flags], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const stderrTail: string[] = []
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderrTail.push(...text.split('\n').filter((l) => l !== ''))
    stderrTail.splice(0, Math.max(0, stderrTail.length - 50))
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, exited, stderrTail }
}

/** Wait for a stdout line matching `pattern`; fails when the process exits or `timeoutMs` passes. */
export async function waitForLine (child: ChildProcess, pattern: RegExp, timeoutMs: number, exited: Promise<number | null>): Promise<RegExpExecArray> {
  let buffered = ''
  return await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line matching ${String(pattern)} within ${timeoutMs} ms`)), timeoutMs)
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      buffered += text
      const match = pattern.exec(buffered)
      if (match !== null) { clearTimeout(timer); resolve(match) }
    })
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`exited with code ${String(code)}`)) })
  })
}

async function procStatus (pid: number, field: string): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)
  if (match === null) throw new Error(`no ${field} for process ${pid}`)
  return Number(match[1]) * 1024
}
