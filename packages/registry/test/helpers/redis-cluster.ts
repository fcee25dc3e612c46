import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A real Redis Cluster of masters on loopback, for a test or a bench. */
export interface RedisCluster {
  /** `host:port` of every master. */
  nodes: string[]
  /** Stop every server and remove their directories. */
  stop: () => Promise<void>
}

/** A port the kernel just handed out on loopback (closed again before use). */
async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')))
    })
  })
}

function ping (port: number): boolean {
  return spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG'
}

/**
 * Start `masters` redis-servers with `--cluster-enabled yes` on free loopback
 * ports, each in a temporary directory, assign the slots with
 * `redis-cli --cluster create`, and wait until the cluster says `ok`.
 */
export async function startRedisCluster (masters = 3): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'lume-redis-cluster-'))
  const children: ChildProcess[] = []
  const exits: Array<Promise<void>> = []
  const stop = async (): Promise<void> => {
    for (const child of children) child.kill('SIGTERM')
    await Promise.all(exits)
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const ports: number[] = []
    for (let i = 0; i < masters; i++) {
      const port = await freePort()
      const busPort = await freePort()
      ports.push(port)
      const child = spawn('redis-server', [
        '--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-port', String(busPort),
        '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--save', '', '--appendonly', 'no', '--dir', dir
      ], { stdio: 'ignore' })
      children.push(child)
      exits.push(new Promise((resolve) => child.once('close', () => resolve())))
    }
    for (const port of ports) {
      const started = Date.now()
      while (!ping(port)) {
        if (Date.now() - started > 10_000) throw new Error(`redis-server on port ${port} did not start within 10 s`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
    const nodes = ports.map((port) => `127.0.0.1:${port}`)
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' })
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stderr}${created.stdout}`)
    const started = Date.now()
    for (const port of ports) {
      while (!spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' }).stdout.includes('cluster_state:ok')) {
        if (Date.now() - started > 20_000) throw new Error('the Redis cluster did not reach cluster_state:ok within 20 s')
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
    return { nodes, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
