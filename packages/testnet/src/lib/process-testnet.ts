import { fork, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createInterface } from 'node:readline'
import type { HyperDHT } from '@lume/dht'
import type { Address } from '@lume/dht'
import { ErrorCode, LumeError, fromWireError, type Closable } from '@lume/types'
import { randomBytes } from '@lume/crypto'
import { formatAddresses } from '@lume/dht'
import { startBootstrapNodes } from './dht.js'
import type { ChildMessage, CommandMap, ParentMessage, PeerCommands } from './ipc.js'

/** Options for {@link createProcessTestnet}. */
export interface ProcessTestnetInit {
  /** Peer processes to start. */
  peers: number
  /**
   * The program each peer runs (a `.js` file, or `.ts` run through tsx), built
   * on {@link runPeerProgram}. @default the echo peer of this package
   */
  program?: string
  /** Where each peer gets a directory (`peer-0`, `peer-1`, …); kept across runs so keys stay. @default a new temporary directory, removed on close */
  dir?: string
  /** Backbone nodes, run in this process. @default 3 */
  bootstrapNodes?: number
  /** Each line a peer prints, with its index. @default dropped */
  onLog?: (peer: number, line: string) => void
  /** How long a peer may take to start. @default 20000 */
  startTimeoutMs?: number
}

/**
 * A private HyperDHT whose peers are separate Node processes, each in a
 * directory of its own: the shape of a real deployment, on one machine.
 *
 * @example
 * ```ts
 * const net = await createProcessTestnet({ peers: 3, onLog: (i, line) => console.log(i, line) })
 * const { ms } = await net.peers[0].request('ping', { publicKey: net.peers[1].publicKey })
 * await net.close()
 * ```
 */
export async function createProcessTestnet<C extends CommandMap = PeerCommands> (init: ProcessTestnetInit): Promise<ProcessTestnet<C>> {
  const ownDir = init.dir === undefined
  const dir = init.dir ?? await mkdtemp(join(tmpdir(), 'lume-testnet-'))
  const { nodes, bootstrap } = await startBootstrapNodes(init.bootstrapNodes ?? 3)
  const net = new ProcessTestnet<C>(dir, ownDir, nodes, bootstrap)
  try {
    await Promise.all(Array.from({ length: init.peers }, async (_, i) => await net.startPeer(i, init)))
  } catch (err) {
    await net.close()
    throw err
  }
  net.peers.sort((a, b) => a.index - b.index)
  return net
}

/** A running process testnet; see {@link createProcessTestnet}. */
export class ProcessTestnet<C extends CommandMap = PeerCommands> implements Closable {
  /** Where the peers' directories are. */
  readonly dir: string
  /** The bootstrap list (backbone nodes run in this process). */
  readonly bootstrap: Address[]
  /** The peer processes, by index. */
  readonly peers: Array<PeerProcess<C>> = []
  private readonly ownDir: boolean
  private readonly backbone: HyperDHT[]
  private closing: Promise<void> | null = null

  /** @internal Use {@link createProcessTestnet}. */
  constructor (dir: string, ownDir: boolean, backbone: HyperDHT[], bootstrap: Address[]) {
    this.dir = dir
    this.ownDir = ownDir
    this.backbone = backbone
    this.bootstrap = bootstrap
  }

  /** @internal Prepare a peer's directory, start its process, wait until it listens. */
  async startPeer (index: number, init: ProcessTestnetInit): Promise<PeerProcess<C>> {
    const peerDir = join(this.dir, `peer-${index}`)
    await prepareDir(peerDir)
    const child = spawnPeer(init.program ?? defaultProgram(), peerDir, formatAddresses(this.bootstrap))
    const onLog = init.onLog
    if (onLog !== undefined) {
      for (const stream of [child.stdout, child.stderr]) {
        if (stream !== null) createInterface({ input: stream }).on('line', (line) => onLog(index, line))
      }
    }
    const peer = await PeerProcess.started<C>(index, peerDir, child, init.startTimeoutMs ?? 20_000)
    this.peers.push(peer)
    return peer
  }

  /** Stop every peer (SIGKILL for one that does not exit in time), then the backbone. Idempotent. */
  close (): Promise<void> {
    this.closing ??= this.shutdown()
    return this.closing
  }

  private async shutdown (): Promise<void> {
    await Promise.allSettled(this.peers.map(async (p) => await p.stop()))
    for (const node of this.backbone.reverse()) await node.destroy()
    if (this.ownDir) await rm(this.dir, { recursive: true, force: true })
  }
}

/** One peer process of a {@link ProcessTestnet}. */
export class PeerProcess<C extends CommandMap = PeerCommands> {
  readonly index: number
  readonly dir: string
  /** Hex public key the peer listens on. */
  readonly publicKey: string
  readonly pid: number
  private readonly child: ChildProcess
  private readonly pending = new Map<number, { resolve: (v: unknown) => void, reject: (e: Error) => void }>()
  private nextId = 1
  private readonly exited: Promise<number | null>

  private constructor (index: number, dir: string, child: ChildProcess, publicKey: string) {
    this.index = index
    this.dir = dir
    this.child = child
    this.publicKey = publicKey
    this.pid = child.pid ?? -1
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode)
      else child.once('exit', (code) => resolve(code))
    })
    child.on('message', (m: ChildMessage) => this.onMessage(m))
    child.once('exit', (code, signal) => {
      const err = new LumeError(ErrorCode.CONNECTION_FAILED, `peer ${index} exited (${signal ?? code})`)
      for (const { reject } of this.pending.values()) reject(err)
      this.pending.clear()
    })
  }

  /** @internal Wait for the child's `ready` message. */
  static async started<C extends CommandMap> (index: number, dir: string, child: ChildProcess, timeoutMs: number): Promise<PeerProcess<C>> {
    const publicKey = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(LumeError.timeout(`starting peer ${index}`, timeoutMs)) }, timeoutMs)
      child.once('exit', (code) => { clearTimeout(timer); reject(new LumeError(ErrorCode.CONNECTION_FAILED, `peer ${index} exited with ${code} while starting`)) })
      child.once('message', (m: ChildMessage) => {
        clearTimeout(timer)
        if (m.type === 'ready') resolve(m.publicKey)
        else reject(LumeError.badFrame(`peer ${index} spoke before it was ready`))
      })
    })
    return new PeerProcess<C>(index, dir, child, publicKey)
  }

  /** Send a command and wait for its answer; errors come back as LumeErrors with the child's code. */
  async request<K extends keyof C & string> (command: K, args: C[K]['args']): Promise<C[K]['result']> {
    if (this.child.exitCode !== null || !this.child.connected) throw LumeError.closed(`peer ${this.index}`)
    const id = this.nextId++
    return await new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.child.send({ type: 'request', id, command, args } satisfies ParentMessage)
    })
  }

  /** Ask the peer to shut down cleanly; SIGKILL after `graceMs`. Resolves with its exit code. */
  async stop (graceMs = 5000): Promise<number | null> {
    if (this.child.exitCode === null && this.child.connected) this.child.send({ type: 'stop' } satisfies ParentMessage)
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs)
    try {
      return await this.exited
    } finally {
      clearTimeout(timer)
    }
  }

  private onMessage (message: ChildMessage): void {
    if (message.type === 'ready') return
    const waiter = this.pending.get(message.id)
    if (waiter === undefined) return
    this.pending.delete(message.id)
    if (message.type === 'response') waiter.resolve(message.result)
    else waiter.reject(fromWireError(message.error))
  }
}

async function prepareDir (dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const seedFile = join(dir, 'seed')
  const existing = await readFile(seedFile, 'utf8').catch(() => null)
  if (existing === null) await writeFile(seedFile, Buffer.from(randomBytes(32)).toString('hex') + '\n', { mode: 0o600 })
}

/** This package's echo peer: `peer-process.js` when built, the `.ts` source in tests. */
function defaultProgram (): string {
  const here = fileURLToPath(import.meta.url)
  return join(dirname(here), here.endsWith('.ts') ? 'peer-process.ts' : 'peer-process.js')
}

/**
 * Fork a peer program. A `.ts` program runs through tsx with the
 * `lume-source` condition, so workspace packages resolve to their sources too.
 */
function spawnPeer (entry: string, dir: string, bootstrap: string[]): ChildProcess {
  const fromSource = entry.endsWith('.ts')
  const execArgv = fromSource
    ? ['--conditions=lume-source', '--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
    : []
  return fork(entry, ['--dir', dir, '--bootstrap', bootstrap.join(',')], { execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
}
