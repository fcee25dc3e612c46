import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { fromHex } from '@lume/types'
import { waitForLine } from '../../../test/reliability/src/relay-process.ts'

const RELAY_CLI = fileURLToPath(new URL('../../../packages/relay/src/cli.ts', import.meta.url))
/** The example's relay config, as its README runs it. */
export const MICROBLOG_CONFIG = fileURLToPath(new URL('../relay.yaml', import.meta.url))
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

/**
 * `lume-relay start --config relay.yaml` in its own process, from the
 * sources (the example's plugin resolves without a build), its directory in
 * a temporary directory, on loopback, with a WebSocket port.
 */
export class MicroblogRelay {
  private constructor (
    private readonly child: ChildProcess,
    private readonly exited: Promise<number | null>,
    private readonly dir: string,
    /** The relay's public key. */
    readonly publicKey: Uint8Array,
    /** Its public key, hex. */
    readonly publicKeyHex: string,
    /** Where browsers reach it. */
    readonly websocketUrl: string
  ) {}

  /** Start one and wait until it says where it listens. */
  static async start (bootstrap: string[]): Promise<MicroblogRelay> {
    const dir = await mkdtemp(join(tmpdir(), 'lume-microblog-relay-'))
    // The runner's LUME_ variables are not relay config: strict config would refuse them.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toUpperCase().startsWith('LUME_')))
    const child = spawn(process.execPath, ['--conditions=lume-source', '--import', tsx, RELAY_CLI, 'start', `--config=${MICROBLOG_CONFIG}`, `--dir=${join(dir, 'relay')}`,
      `--dht.bootstrap=${bootstrap.join(',')}`, '--dht.host=127.0.0.1', '--websocket.port=0'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (text: string) => { stderr = (stderr + text).slice(-4000) })
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    try {
      // Both lines at once: they are printed together, and may arrive in one chunk.
      const lines = await waitForLine(child, /listening as ([0-9a-f]{64})[^]*reach this relay at (ws:\/\/\S+)/, 60_000, exited)
      return new MicroblogRelay(child, exited, dir, fromHex(lines[1] as string, 32), lines[1] as string, lines[2] as string)
    } catch (err) {
      child.kill('SIGKILL')
      await exited
      await rm(dir, { recursive: true, force: true })
      throw new Error(`the relay did not start: ${(err as Error).message}\n${stderr}`)
    }
  }

  /** Stop it (SIGTERM: it finishes what is in flight) and delete its directory. */
  async close (): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM')
      await this.exited
    }
    await rm(this.dir, { recursive: true, force: true })
  }
}
