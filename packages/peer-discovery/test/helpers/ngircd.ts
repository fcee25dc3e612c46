import { spawn } from 'node:child_process'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A free TCP port on loopback (taken and released: good enough for a test server started right after). */
export async function freePort (): Promise<number> {
  return await new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function waitForPort (port: number, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true) })
      socket.on('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > until) throw new Error(`nothing listens on ${port}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** A real ngircd (Debian package) on a free loopback port. */
export async function startNgircd (): Promise<{ port: number, stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lume-ngircd-'))
  await chmod(dir, 0o755)
  const port = await freePort()
  const conf = join(dir, 'ngircd.conf')
  await writeFile(conf, [
    '[Global]', 'Name = irc.lume.test', 'Info = Lume test IRC', 'Listen = 127.0.0.1', `Ports = ${port}`, 'MotdPhrase = lume',
    'AdminInfo1 = test', 'AdminInfo2 = test', 'AdminEMail = test@localhost',
    '[Options]', 'DNS = no', 'Ident = no', 'PAM = no',
    '[Limits]', 'MaxConnectionsIP = 0', 'MaxJoins = 0', 'MaxNickLength = 20'
  ].join('\n'), { mode: 0o644 })
  const child = spawn('ngircd', ['-n', '-f', conf], { stdio: 'ignore' })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await waitForPort(port)
  return { port, stop: async () => { child.kill('SIGTERM'); await exited; await rm(dir, { recursive: true, force: true }) } }
}

/** A real inspircd (Debian package) with its WebSocket module, on a free loopback port. */
export async function startInspircd (): Promise<{ port: number, stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lume-inspircd-'))
  await chmod(dir, 0o777)
  const port = await freePort()
  const conf = join(dir, 'inspircd.conf')
  await writeFile(join(dir, 'motd.txt'), 'lume\n')
  await writeFile(conf, [
    '<config format="xml">',
    '<server name="irc.lume.test" description="Lume test IRC" network="LumeTest">',
    '<admin name="test" nick="test" email="test@localhost">',
    `<bind address="127.0.0.1" port="${port}" type="clients" hook="websocket">`,
    '<connect allow="*" maxclients="100" timeout="20" pingfreq="120" sendq="262144" recvq="8192" localmax="100" globalmax="100" useident="no" resolvehostnames="no">',
    '<class name="Shutdown" commands="DIE RESTART REHASH">',
    `<pid file="${join(dir, 'inspircd.pid')}">`,
    '<performance nouserdns="yes">',
    '<module name="sha1">',
    '<module name="websocket">',
    '<wsorigin allow="*">',
    `<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="${join(dir, 'ircd.log')}">`,
    `<files motd="${join(dir, 'motd.txt')}">`
  ].join('\n'), { mode: 0o644 })
  // As root (CI), inspircd wants to be told that is intended.
  const child = spawn('inspircd', ['--nofork', `--config=${conf}`, ...(process.getuid?.() === 0 ? ['--runasroot'] : [])], { stdio: 'ignore' })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await waitForPort(port)
  return { port, stop: async () => { child.kill('SIGTERM'); await exited; await rm(dir, { recursive: true, force: true }) } }
}
