import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fromHex } from '@lume/types'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
/** The production relay node, as built by `pnpm build`. */
export const RELAY_NODE_MAIN = join(ROOT, 'examples/relay-node/dist/main.js')
/** Its documented production configuration; a test only overrides addresses, ports and the directory. */
export const PRODUCTION_CONFIG = join(ROOT, 'examples/relay-node/relay.config.yaml')

/** Options for {@link RelayProcess.start}. */
export interface RelayProcessInit {
  /** The private testnet's bootstrap nodes, as `host:port`. */
  bootstrap: string[]
  /** More `--key=value` flags on top of the production configuration. */
  flags?: string[]
  /** Fail when the relay has not printed its key within this. @default 30000 */
  startTimeoutMs?: number
  /**
   * Run without the WebSocket endpoint (its port line left out of the
   * configuration). While it runs, the relay trusts loopback as a shared
   * address (its gateway's connections arrive from there) and limits per
   * address do not apply to loopback peers: every peer of a test. @default false
   */
  withoutWebSocket?: boolean
}

/**
 * A relay node (examples/relay-node, production configuration) running as a
 * child process in a temporary directory, on loopback only. Its memory is
 * read from /proc, its metrics over its HTTP endpoint.
 */
export class RelayProcess {
  private stderrTail: string[] = []
  private exited: Promise<number | null>

  private constructor (
    private readonly child: ChildProcess,
    private readonly dir: string,
    /** The relay's public key. */
    readonly publicKey: Uint8Array,
    /** `http://127.0.0.1:port` of /metrics and /status.json. */
    readonly httpUrl: string,
    exited: Promise<number | null>,
    stderrTail: string[]
  ) {
    this.exited = exited
    this.stderrTail = stderrTail
  }

  /** Start a relay node and wait until it says it is running. */
  static async start (init: RelayProcessInit): Promise<RelayProcess> {
    const dir = await mkdtemp(join(tmpdir(), 'lume-reliability-'))
    const config = join(dir, 'relay.config.yaml')
    const production = await readFile(PRODUCTION_CONFIG, 'utf8')
    const withoutWebSocket = init.withoutWebSocket === true
    await writeFile(config, withoutWebSocket ? production.replace(/^(websocket:\n(?:\s+#.*\n)*)\s+port: \d+\n/m, '$1') : production)
    const { child, exited, stderrTail } = spawnRelay(config, [
      `--dht.bootstrap=${init.bootstrap.join(',')}`, '--dht.port=0', '--dht.host=127.0.0.1',
      ...(withoutWebSocket ? [] : ['--websocket.port=0']), '--websocket.host=127.0.0.1', '--http.port=0', '--log.level=warn',
      ...(init.flags ?? [])
    ])
    try {
      const line = await waitForLine(child, /lume-relay-node: ([0-9a-f]{64}) running; metrics (http:\/\/[^/]+)\/metrics/, init.startTimeoutMs ?? 30_000, exited)
      return new RelayProcess(child, dir, fromHex(line[1] as string), line[2] as string, exited, stderrTail)
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

  /** One value of the relay's Prometheus metrics (the first sample of `name`). */
  async metric (name: string): Promise<number> {
    const text = await (await fetch(`${this.httpUrl}/metrics`)).text()
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)
    if (match === null) throw new Error(`no metric ${name}`)
    return Number(match[1])
  }

  /** Stop the relay (SIGTERM, then SIGKILL after `graceMs`) and delete its directory. */
  async close (graceMs = 10_000): Promise<void> {
    if (this.alive) {
      this.child.kill('SIGTERM')
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs)
      await this.exited
      clearTimeout(timer)
    }
    await rm(this.dir, { recursive: true, force: true })
  }
}

/** Start `node main.js <config> flags…` with no LUME_ variables from this environment. */
export function spawnRelay (config: string, flags: string[]): { child: ChildProcess, exited: Promise<number | null>, stderrTail: string[] } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LUME_')))
  const child = spawn(process.execPath, [RELAY_NODE_MAIN, config, ...flags], { env, stdio: ['ignore', 'pipe', 'pipe'] })
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
