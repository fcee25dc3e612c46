import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A real redis-server for a test, on a unix socket in a temporary directory (no port to collide on). */
export interface RedisServer {
  socket: string
  stop: () => Promise<void>
}

export async function startRedis (): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'lume-redis-'))
  const socket = join(dir, 'redis.sock')
  const child: ChildProcess = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const started = Date.now()
  while (!existsSync(socket)) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} (is the redis-server package installed?)`)
    if (Date.now() - started > 10_000) { child.kill('SIGKILL'); throw new Error('redis-server did not start within 10 s') }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return {
    socket,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
      await rm(dir, { recursive: true, force: true })
    }
  }
}
