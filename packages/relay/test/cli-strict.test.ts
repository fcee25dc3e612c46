import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { finish, run } from './helpers/cli.js'

// Every case here fails before any socket opens: none needs a DHT (and a mistake never reaches the public one).
describe('lume-relay: typos are errors, not silence', () => {
  let dir: string
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'lume-relay-strict-')) })
  afterAll(async () => { await rm(dir, { recursive: true, force: true }) })
  const fresh = async (name: string): Promise<string> => { const d = join(dir, name); await mkdir(d, { recursive: true }); return d }

  it('--testnt names --testnet, exits 2, and joins nothing', async () => {
    const relayDir = await fresh('testnt')
    const { code, stderr, stdout } = await finish(run(['start', '--dir', relayDir, '--testnt']))
    expect(code).toBe(2)
    expect(stderr).toContain('did you mean --testnet?')
    expect(stdout).not.toContain('public HyperDHT')
    expect(await readdir(relayDir)).toEqual([])
  }, 30_000)

  it('--dht.bootstrp= names --dht.bootstrap', async () => {
    const { code, stderr } = await finish(run(['start', '--dir', await fresh('bootstrp'), '--dht.bootstrp=127.0.0.1:1']))
    expect(code).toBe(2)
    expect(stderr).toContain('flag --dht.bootstrp')
    expect(stderr).toContain('did you mean --dht.bootstrap?')
  }, 30_000)

  it('YAML bootstrapp: and websockets: name the file and the keys meant', async () => {
    const relayDir = await fresh('yaml')
    await writeFile(join(relayDir, 'relay.yaml'), 'dht:\n  bootstrapp: []\nwebsockets:\n  port: 1\n')
    const { code, stderr } = await finish(run(['start', '--dir', relayDir]))
    expect(code).toBe(2)
    expect(stderr).toContain(join(relayDir, 'relay.yaml'))
    expect(stderr).toContain('did you mean dht.bootstrap?')
    expect(stderr).toContain('did you mean websocket.port?')
  }, 30_000)

  it('LUME_DHT_BOOTSTRAP (one underscore) names LUME_DHT__BOOTSTRAP; LUME_RELAY_DIR is the CLI\'s own', async () => {
    const relayDir = await fresh('env')
    const { code, stderr } = await finish(run(['start'], { LUME_RELAY_DIR: relayDir, LUME_DHT_BOOTSTRAP: '127.0.0.1:1' }))
    expect(code).toBe(2)
    expect(stderr).toContain('env LUME_DHT_BOOTSTRAP')
    expect(stderr).toContain('did you mean LUME_DHT__BOOTSTRAP?')
  }, 30_000)

  it('a plugin\'s section is checked by the plugin\'s schema, and a section for no loaded plugin is an error', async () => {
    const plugin = fileURLToPath(new URL('./fixtures/schema-plugin.ts', import.meta.url))
    const typo = await finish(run(['start', '--dir', await fresh('plugin'), `--plugins=${plugin}`, '--plugin.schema.greting=hi']))
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain('plugin.schema')
    expect(typo.stderr).toContain('did you mean greeting?')
    const stray = await finish(run(['start', '--dir', await fresh('stray'), `--plugins=${plugin}`, '--plugin.schemo.greeting=hi']))
    expect(stray.code).toBe(2)
    expect(stray.stderr).toContain('did you mean plugin.schema?')
  }, 30_000)

  it('ping --count=abc is an error, not zero pings', async () => {
    const { code, stderr, stdout } = await finish(run(['ping', '11'.repeat(32), '--count=abc']))
    expect(code).toBe(2)
    expect(stderr).toContain('--count')
    expect(stdout).not.toContain('core.info')
  }, 30_000)

  it('an unknown command is named (with the one meant)', async () => {
    const { code, stderr } = await finish(run(['strat']))
    expect(code).toBe(2)
    expect(stderr).toContain('unknown command "strat"')
    expect(stderr).toContain('did you mean start?')
  }, 30_000)

  it('<command> --help prints that command\'s help', async () => {
    const { code, stdout } = await finish(run(['ping', '--help']))
    expect(code).toBe(0)
    expect(stdout).toContain('usage: lume-relay ping')
    expect(stdout).toContain('--count')
    expect(stdout).not.toContain('keygen')
  }, 30_000)

  it('info on a relay directory without an identity creates nothing', async () => {
    const relayDir = await fresh('info')
    const { code, stdout } = await finish(run(['info', '--dir', relayDir]))
    expect(code).toBe(0)
    expect(stdout).toContain('no identity yet')
    expect(await readdir(relayDir)).toEqual([])
  }, 30_000)
})
