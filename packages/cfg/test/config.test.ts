import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ErrorCode } from '@lume/types'
import { loadConfig } from '../src/index.js'
import { errorOf } from './helpers.js'

const schema = z.object({
  name: z.string().default('relay'),
  port: z.number().int().min(0).max(65535).default(0),
  verbose: z.boolean().default(false),
  rpc: z.object({
    maxInFlight: z.number().int().positive().default(64),
    timeoutMs: z.number().default(10_000)
  }).default({ maxInFlight: 64, timeoutMs: 10_000 }),
  bootstrap: z.array(z.string()).default([]),
  ports: z.array(z.number()).default([]),
  plugin: z.record(z.string(), z.record(z.string(), z.unknown())).default({})
})

let dir: string
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'lume-cfg-')) })
afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

describe('layer precedence', () => {
  it('uses schema defaults when nothing else is set', async () => {
    const cfg = await loadConfig({ schema, env: {} })
    expect(cfg.get('port')).toBe(0)
    expect(cfg.sourceOf('port')).toBe('schema default')
  })

  it('defaults < file < later file < env < flags, each overriding the one below', async () => {
    await writeFile(join(dir, 'a.json'), JSON.stringify({ port: 2, name: 'from-a', rpc: { timeoutMs: 5 } }))
    await writeFile(join(dir, 'b.yaml'), 'port: 3\nverbose: true\n')
    const base = { schema, defaults: { port: 1, name: 'dflt', rpc: { maxInFlight: 7 } }, dir }

    const files = await loadConfig({ ...base, env: {} })
    expect(files.get('port')).toBe(3)
    expect(files.sourceOf('port')).toBe(`file ${join(dir, 'b.yaml')}`)
    expect(files.get('name')).toBe('from-a')
    expect(files.get('rpc.maxInFlight')).toBe(7)
    expect(files.sourceOf('rpc.maxInFlight')).toBe('defaults')
    expect(files.get('rpc.timeoutMs')).toBe(5)

    const env = await loadConfig({ ...base, env: { LUME_PORT: '4' } })
    expect(env.get('port')).toBe(4)
    expect(env.sourceOf('port')).toBe('env LUME_PORT')

    const flags = await loadConfig({ ...base, env: { LUME_PORT: '4' }, argv: ['--port', '5'] })
    expect(flags.get('port')).toBe(5)
    expect(flags.sourceOf('port')).toBe('flag --port')
    // Layers merge key by key: the flag did not wipe the file's other keys.
    expect(flags.get('verbose')).toBe(true)
    expect(flags.get('name')).toBe('from-a')
  })

  it('a missing directory is no files, not an error', async () => {
    const cfg = await loadConfig({ schema, dir: join(dir, 'nope'), env: {} })
    expect(cfg.get('name')).toBe('relay')
  })
})

describe('environment', () => {
  it('is applied, with __ between levels and values parsed by type', async () => {
    const cfg = await loadConfig({
      schema,
      env: {
        LUME_RPC__MAX_IN_FLIGHT: '8',
        LUME_RPC__timeoutMs: '77',
        LUME_VERBOSE: 'yes',
        LUME_BOOTSTRAP: '127.0.0.1:1,127.0.0.1:2',
        LUME_PORTS: '[1, 2]',
        LUME_NAME: '1234',
        LUME_PLUGIN__REGISTRY__STORE: 'lmdb',
        OTHER_PORT: '9'
      }
    })
    expect(cfg.get('rpc.maxInFlight')).toBe(8)
    expect(cfg.sourceOf('rpc.maxInFlight')).toBe('env LUME_RPC__MAX_IN_FLIGHT')
    expect(cfg.get('rpc.timeoutMs')).toBe(77)
    expect(cfg.get('verbose')).toBe(true)
    expect(cfg.get('bootstrap')).toEqual(['127.0.0.1:1', '127.0.0.1:2'])
    expect(cfg.get('ports')).toEqual([1, 2])
    expect(cfg.get('name')).toBe('1234') // a string field keeps digits as text
    expect(cfg.value.plugin).toEqual({ registry: { store: 'lmdb' } })
    expect(cfg.get('port')).toBe(0)
  })

  it('matches keys without regard to case', async () => {
    const cfg = await loadConfig({ schema, env: { lume_rpc__maxinflight: '9' }, argv: ['--RPC.TIMEOUTMS=3'] })
    expect(cfg.get('rpc.maxInFlight')).toBe(9)
    expect(cfg.get('rpc.timeoutMs')).toBe(3)
    expect(cfg.get('RPC.MAXINFLIGHT')).toBe(9)
  })
})

describe('flags', () => {
  it('take --key=value, --key value, --flag and --no-flag, and keep positionals', async () => {
    const cfg = await loadConfig({ schema, env: {}, argv: ['start', '--rpc.max-in-flight=3', '--name', 'x', '--verbose', 'extra'] })
    expect(cfg.get('rpc.maxInFlight')).toBe(3)
    expect(cfg.get('name')).toBe('x')
    expect(cfg.get('verbose')).toBe(true)
    expect(cfg.positionals).toEqual(['start', 'extra'])
    const off = await loadConfig({ schema, env: { LUME_VERBOSE: 'true' }, argv: ['--no-verbose'] })
    expect(off.get('verbose')).toBe(false)
  })
})

describe('validation errors', () => {
  it('name the key and the layer it came from', async () => {
    const err = await errorOf(loadConfig({ schema, env: { LUME_PORT: 'abc' } }))
    expect(err.code).toBe(ErrorCode.CONFIG_INVALID)
    expect(err.message).toContain('port')
    expect(err.message).toContain('env LUME_PORT')
    expect(err.details.issues).toEqual([expect.objectContaining({ path: 'port', source: 'env LUME_PORT' })])
  })

  it('name the file for a bad file value and the flag for a bad flag', async () => {
    await writeFile(join(dir, 'config.yaml'), 'rpc:\n  maxInFlight: -1\n')
    const fromFile = await errorOf(loadConfig({ schema, dir, env: {} }))
    expect(fromFile.message).toMatch(/rpc\.maxInFlight: .* \(from file .*config\.yaml\)/)
    const fromFlag = await errorOf(loadConfig({ schema, env: {}, argv: ['--port=70000'] }))
    expect(fromFlag.details.issues).toEqual([expect.objectContaining({ path: 'port', source: 'flag --port' })])
  })

  it('report a broken file as CONFIG_UNREADABLE with its path', async () => {
    await writeFile(join(dir, 'bad.json'), '{ nope')
    const err = await errorOf(loadConfig({ schema, dir, env: {} }))
    expect(err.code).toBe(ErrorCode.CONFIG_UNREADABLE)
    expect(err.message).toContain('bad.json')
  })
})

describe('set and save', () => {
  it('write back to the user YAML file, keeping other keys and comments', async () => {
    const file = join(dir, 'config.yaml')
    await writeFile(file, '# my relay\nname: mine # keep me\nunknownKey: 42\nrpc:\n  timeoutMs: 7\n', { mode: 0o640 })
    // Lenient: the point is that keys this program does not know survive a save.
    const cfg = await loadConfig({ schema, dir, env: {}, strict: false })
    cfg.set('port', 4000)
    cfg.set('rpc.maxInFlight', 12)
    expect(cfg.get('port')).toBe(4000)
    await cfg.save()
    const text = await readFile(file, 'utf8')
    expect(text).toContain('# my relay')
    expect(text).toContain('# keep me')
    expect(text).toContain('unknownKey: 42')
    expect((await stat(file)).mode & 0o777).toBe(0o640)
    const again = await loadConfig({ schema, dir, env: {}, strict: false })
    expect(again.get('port')).toBe(4000)
    expect(again.get('rpc.maxInFlight')).toBe(12)
    expect(again.get('rpc.timeoutMs')).toBe(7)
    expect(again.get('name')).toBe('mine')
  })

  it('round-trips JSON user files and creates a missing one', async () => {
    const file = join(dir, 'settings.json')
    await writeFile(file, JSON.stringify({ extra: { deep: true } }))
    const cfg = await loadConfig({ schema, userFile: file, env: {} })
    cfg.set('name', 'json')
    await cfg.save()
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ extra: { deep: true }, name: 'json' })

    const fresh = await loadConfig({ schema, dir: join(dir, 'new'), env: {} })
    fresh.set('verbose', true)
    await fresh.save()
    expect(await readFile(join(dir, 'new', 'config.yaml'), 'utf8')).toBe('verbose: true\n')
  })

  it('refuse an invalid value and change nothing', async () => {
    const cfg = await loadConfig({ schema, dir, env: {} })
    expect(() => cfg.set('port', -5)).toThrow(expect.objectContaining({ code: ErrorCode.CONFIG_INVALID }))
    expect(cfg.get('port')).toBe(0)
    await cfg.save()
    await expect(readFile(join(dir, 'config.yaml'), 'utf8')).rejects.toThrow(/ENOENT/)
  })

  it('leave env and flags in charge of what they set', async () => {
    const cfg = await loadConfig({ schema, dir, env: { LUME_PORT: '9' } })
    cfg.set('port', 10)
    expect(cfg.get('port')).toBe(9)
    expect(cfg.sourceOf('port')).toBe('env LUME_PORT')
  })
})
