import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ErrorCode } from '@lume/types'
import { closest, loadConfig } from '../src/index.js'
import { errorOf } from './helpers.js'

const schema = z.object({
  dht: z.object({ bootstrap: z.array(z.string()).default([]), port: z.number().default(0) }).prefault({}),
  websocket: z.object({ port: z.number().optional() }).prefault({}),
  plugin: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  budgets: z.record(z.string(), z.object({ global: z.number().optional() }).catchall(z.unknown())).default({})
})

let dir: string
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'lume-cfg-strict-')) })
afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

describe('strict configuration: an unknown key is an error naming its source and the closest key', () => {
  it('a misspelt flag', async () => {
    const err = await errorOf(loadConfig({ schema, env: {}, argv: ['--dht.bootstrp=127.0.0.1:1'] }))
    expect(err.code).toBe(ErrorCode.CONFIG_INVALID)
    expect(err.message).toContain('flag --dht.bootstrp')
    expect(err.message).toContain('did you mean --dht.bootstrap')
  })

  it('a misspelt YAML key, nested and at the top level', async () => {
    await writeFile(join(dir, 'relay.yaml'), 'dht:\n  bootstrapp: []\nwebsockets:\n  port: 1\n')
    const err = await errorOf(loadConfig({ schema, env: {}, dir }))
    expect(err.message).toContain(`file ${join(dir, 'relay.yaml')}`)
    expect(err.message).toContain('dht.bootstrapp')
    expect(err.message).toContain('did you mean dht.bootstrap')
    expect(err.message).toContain('did you mean websocket')
  })

  it('an unknown JSON key', async () => {
    await writeFile(join(dir, 'relay.json'), JSON.stringify({ dht: { prot: 1 } }))
    const err = await errorOf(loadConfig({ schema, env: {}, dir }))
    expect(err.message).toMatch(/dht\.prot.*did you mean dht\.port/)
  })

  it('an environment variable with one underscore where levels need two', async () => {
    const err = await errorOf(loadConfig({ schema, env: { LUME_DHT_BOOTSTRAP: '127.0.0.1:1' } }))
    expect(err.message).toContain('env LUME_DHT_BOOTSTRAP')
    expect(err.message).toContain('did you mean LUME_DHT__BOOTSTRAP')
  })

  it('an environment variable that is the program\'s own is left alone when listed', async () => {
    const cfg = await loadConfig({ schema, env: { LUME_RELAY_DIR: '/x' }, ignoreEnv: ['LUME_RELAY_DIR'] })
    expect(cfg.get('dht.port')).toBe(0)
  })

  it('keys under records and catch-alls stay open (their owners validate them)', async () => {
    const cfg = await loadConfig({ schema, env: { LUME_PLUGIN__REGISTRY__MAX_KEYS: '5' }, argv: ['--budgets.relay.connections.global=3'] })
    expect(cfg.value.plugin).toEqual({ registry: { maxKeys: 5 } })
  })

  it('strict: false keeps the old, lenient behaviour', async () => {
    const cfg = await loadConfig({ schema, env: {}, argv: ['--dht.bootstrp=x'], strict: false })
    expect(cfg.get('dht.bootstrap')).toEqual([])
  })
})

describe('program flags (not config keys) through the same parser', () => {
  const flags = { dir: 'string', testnet: 'boolean', count: 'number' } as const

  it('are parsed by type and kept apart from the config', async () => {
    const cfg = await loadConfig({ schema, env: {}, flags, argv: ['--dir', '/tmp/x', '--testnet', '--count=3', '--dht.port=5', 'key'] })
    expect(cfg.flags).toEqual({ dir: '/tmp/x', testnet: true, count: 3 })
    expect(cfg.get('dht.port')).toBe(5)
    expect(cfg.positionals).toEqual(['key'])
  })

  it('a misspelt program flag suggests it', async () => {
    const err = await errorOf(loadConfig({ schema, env: {}, flags, argv: ['--testnt'] }))
    expect(err.message).toContain('did you mean --testnet')
  })

  it('a number flag that is not a number is an error', async () => {
    const err = await errorOf(loadConfig({ schema, env: {}, flags, argv: ['--count=abc'] }))
    expect(err.code).toBe(ErrorCode.CONFIG_INVALID)
    expect(err.message).toContain('--count')
  })

  it('the directory can depend on a flag', async () => {
    await writeFile(join(dir, 'c.yaml'), 'dht:\n  port: 7\n')
    const cfg = await loadConfig({ schema, env: {}, flags, argv: [`--dir=${dir}`], dir: (f) => f.dir as string })
    expect(cfg.get('dht.port')).toBe(7)
  })
})

describe('files given by a flag', () => {
  it('are read after the directory, strictly, and a missing one is an error', async () => {
    const file = join(dir, 'extra.yaml')
    await writeFile(file, 'dht:\n  port: 9\n')
    const cfg = await loadConfig({ schema, env: {}, flags: { config: 'string' }, argv: [`--config=${file}`], files: (f) => typeof f.config === 'string' ? [f.config] : [] })
    expect(cfg.get('dht.port')).toBe(9)
    expect(cfg.sourceOf('dht.port')).toBe(`file ${file}`)
    const err = await errorOf(loadConfig({ schema, env: {}, files: [join(dir, 'nope.yaml')] }))
    expect(err.code).toBe(ErrorCode.CONFIG_UNREADABLE)
  })
})

describe('closest', () => {
  it('finds a near key and refuses a far one', () => {
    expect(closest('testnt', ['testnet', 'dir'])).toBe('testnet')
    expect(closest('bootstrpa', ['bootstrap'])).toBe('bootstrap')
    expect(closest('zzzz', ['testnet', 'dir'])).toBeNull()
  })
})
