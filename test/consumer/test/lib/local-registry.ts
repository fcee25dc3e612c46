import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'

const require = createRequire(import.meta.url)

/** A running verdaccio on loopback; see {@link startLocalRegistry}. */
export interface LocalRegistry {
  /** Base URL, with a trailing slash. */
  readonly url: string
  /** A token that may publish `@lume/*`. */
  readonly token: string
  close (): Promise<void>
}

async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return port
}

/**
 * Start verdaccio on a free loopback port with everything in `dir`. It serves
 * `@lume/*` from its own storage only (no uplink: nothing of ours can come
 * from the public registry); apps take third-party packages from npm itself.
 */
export async function startLocalRegistry (dir: string): Promise<LocalRegistry> {
  const port = await freePort()
  const config = join(dir, 'config.yaml')
  await writeFile(config, [
    `storage: ${JSON.stringify(join(dir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(join(dir, 'htpasswd'))}`,
    'uplinks: {}',
    'packages:',
    "  '@lume/*':",
    '    access: $all',
    '    publish: $authenticated',
    "  '**':",
    '    access: $all',
    'log: { type: stdout, format: pretty, level: warn }',
    ''
  ].join('\n'))
  const bin = join(require.resolve('verdaccio/package.json').replace(/package\.json$/, ''), 'bin', 'verdaccio')
  const child: ChildProcess = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => { output += d.toString() })
  child.stderr?.on('data', (d: Buffer) => { output += d.toString() })
  const url = `http://127.0.0.1:${port}/`
  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    child.kill('SIGTERM')
    await exited
  }
  try {
    await waitUntilServing(url, child, () => output)
    // A user of its own: npm clients refuse to publish without a token.
    const res = await fetch(`${url}-/user/org.couchdb.user:lume`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'lume', password: 'consumer-test' })
    })
    const body = await res.json() as { token?: string }
    if (!res.ok || typeof body.token !== 'string') throw new Error(`verdaccio refused the user: ${res.status} ${JSON.stringify(body)}`)
    return { url, token: body.token, close }
  } catch (err) {
    await close()
    throw err
  }
}

/** Poll verdaccio's ping until it answers; fail at once if it exits. */
async function waitUntilServing (url: string, child: ChildProcess, output: () => string): Promise<void> {
  const exited = once(child, 'exit').then(() => { throw new Error(`verdaccio exited:\n${output()}`) })
  exited.catch(() => {})
  for (;;) {
    if (child.exitCode !== null) await exited
    const ok = await fetch(`${url}-/ping`).then((r) => r.ok, () => false)
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
