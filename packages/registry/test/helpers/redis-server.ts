import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A real redis-server for a test, on a unix socket in a temporary directory (no port to collide on). */
export interface RedisServer {
  socket: string
  /** Where it keeps its files (pass it to {@link startRedis} again to restart on them). */
  dir: string
  /** Stop it cleanly and remove its directory (unless it was given). */
  stop: () => Promise<void>
  /** SIGKILL it (a crash), keeping its files. */
  kill: () => Promise<void>
}

/** Options for {@link startRedis}. */
export interface RedisOptions {
  /** Reuse this directory (after a {@link RedisServer.kill}). @default a new temporary one */
  dir?: string
  /** Append-only file fsynced on every write (`appendfsync always`), as a durable deployment runs it. @default no persistence */
  durable?: boolean
}

export async function startRedis (options: RedisOptions = {}): Promise<RedisServer> {
  const ownDir = options.dir === undefined
  const dir = options.dir ?? await mkdtemp(join(tmpdir(), 'lume-redis-'))
  const socket = join(dir, 'redis.sock')
  const persistence = options.durable === true ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']
  await rm(socket, { force: true })
  const child: ChildProcess = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--save', '', ...persistence, '--dir', dir], { stdio: 'ignore' })
  let spawnError: Error | null = null
  child.once('error', (err) => { spawnError = err })
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
  const started = Date.now()
  try {
    while (!existsSync(socket)) {
      if (spawnError !== null || child.exitCode !== null) throw new Error(`redis-server did not start (${spawnError ?? `exit ${child.exitCode}`}): is the redis-server package installed?`)
      if (Date.now() - started > 10_000) { child.kill('SIGKILL'); throw new Error('redis-server did not start within 10 s') }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  } catch (err) {
    if (ownDir) await rm(dir, { recursive: true, force: true })
    throw err
  }
  return {
    socket,
    dir,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
      if (ownDir) await rm(dir, { recursive: true, force: true })
    },
    kill: async () => {
      child.kill('SIGKILL')
      await exited
    }
  }
}
