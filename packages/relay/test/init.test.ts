import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '@lume/cfg'
import { relayConfigSchema } from '../src/lib/config.js'
import { CONFIG_TEMPLATE } from '../src/lib/config-template.js'
import { finish, run } from './helpers/cli.js'

describe('lume-relay init', () => {
  let dir: string
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'lume-relay-init-')) })
  afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

  it('writes a commented relay.yaml that the relay accepts as it is', async () => {
    const target = join(dir, 'new', 'relay')
    const { code, stdout, stderr } = await finish(run(['init', target]))
    expect([code, stderr]).toEqual([0, ''])
    expect(stdout.trim()).toBe(`lume-relay: wrote ${join(target, 'relay.yaml')}; edit it, then run: lume-relay start --dir ${target}`)
    const text = await readFile(join(target, 'relay.yaml'), 'utf8')
    expect(text).toBe(CONFIG_TEMPLATE)
    expect(text.split('\n').filter((l) => l.trimStart().startsWith('#')).length).toBeGreaterThan(20)
    expect((await stat(target)).mode & 0o777).toBe(0o700)
    // Valid for the strict schema (an unknown key would fail here), http on loopback.
    const config = await loadConfig({ schema: relayConfigSchema, dir: target, env: {}, strict: true })
    expect(config.value.http).toMatchObject({ host: '127.0.0.1', port: 9100 })
    expect(config.sourceOf('http.port')).toContain('relay.yaml')
    // And for the CLI, which reads it read-only.
    const info = await finish(run(['info', '--dir', target]))
    expect([info.code, info.stderr]).toEqual([0, ''])
    expect(info.stdout).toMatch(/log\.level = "info" {2}\(file .*relay\.yaml\)/)
    expect(await readdir(target)).toEqual(['relay.yaml'])
  })

  it('refuses to overwrite, or to add a second config beside an existing one', async () => {
    const target = join(dir, 'existing')
    await finish(run(['init', target]))
    await writeFile(join(target, 'relay.yaml'), 'log:\n  level: warn\n')
    const again = await finish(run(['init', target]))
    expect(again.code).toBe(1)
    expect(again.stderr.trim()).toBe(`lume-relay init: ${join(target, 'relay.yaml')} already exists; not overwriting (edit it, or init another directory)`)
    expect(await readFile(join(target, 'relay.yaml'), 'utf8')).toBe('log:\n  level: warn\n')

    const other = join(dir, 'other')
    await finish(run(['init', other]))
    await rm(join(other, 'relay.yaml'))
    await writeFile(join(other, 'config.json'), '{}')
    const beside = await finish(run(['init', other]))
    expect(beside.code).toBe(1)
    expect(await readdir(other)).toEqual(['config.json'])
  })

  it('has --help, and refuses unknown options and extra arguments', async () => {
    const help = await finish(run(['init', '--help']))
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^usage: lume-relay init \[DIR \| --dir DIR\]/)
    const byFlag = await finish(run(['init', '--dir', join(dir, 'flagged')]))
    expect(byFlag.code).toBe(0)
    expect((await stat(join(dir, 'flagged', 'relay.yaml'))).isFile()).toBe(true)
    const flag = await finish(run(['init', '--forse', join(dir, 'x')]))
    expect([flag.code, flag.stderr.trim()]).toEqual([2, 'lume-relay init: unknown option "--forse" (see lume-relay init --help)'])
    const extra = await finish(run(['init', join(dir, 'y'), 'z']))
    expect(extra.code).toBe(2)
    await expect(stat(join(dir, 'x'))).rejects.toThrow()
    await expect(stat(join(dir, 'y'))).rejects.toThrow()
    const usage = await finish(run(['--help']))
    expect(usage.stdout).toMatch(/^ {2}init +write a commented relay\.yaml/m)
  })
})
