import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ErrorCode, LumeError } from '@lume/types'
import { loadConfig } from '../src/index.js'

// Issue 12, item 8: a key path through `__proto__`, `constructor` or
// `prototype` must never reach Object.prototype; it is refused with a typed
// error naming where it came from.

const schema = z.object({
  port: z.number().default(0),
  plugin: z.record(z.string(), z.record(z.string(), z.unknown())).default({})
})

let dir: string
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'lume-cfg-pollution-')) })
afterEach(async () => {
  delete (Object.prototype as Record<string, unknown>).polluted
  await rm(dir, { recursive: true, force: true })
})

const polluted = (): unknown => ({} as Record<string, unknown>).polluted
async function refusal (p: Promise<unknown>): Promise<LumeError> {
  try { await p } catch (err) { if (LumeError.isInstance(err)) return err; throw err }
  throw new Error('expected a LumeError')
}

describe('prototype pollution', () => {
  it('flags: --__proto__.polluted=yes and --constructor.prototype.polluted=yes', async () => {
    for (const flag of ['--__proto__.polluted=yes', '--constructor.prototype.polluted=yes', '--plugin.__proto__.polluted=yes', '--prototype.polluted=yes']) {
      const err = await refusal(loadConfig({ schema, env: {}, argv: [flag] }))
      expect(err.code).toBe(ErrorCode.CONFIG_INVALID)
      expect(err.message).toContain('flag --')
      expect(polluted()).toBe(undefined)
    }
  })

  it('a JSON file with a __proto__ key', async () => {
    const file = join(dir, 'a.json')
    await writeFile(file, '{"__proto__": {"polluted": "yes"}}')
    const err = await refusal(loadConfig({ schema, env: {}, dir }))
    expect(err.code).toBe(ErrorCode.CONFIG_INVALID)
    expect(err.message).toContain(`file ${file}`)
    expect(polluted()).toBe(undefined)
  })

  it('a YAML file with __proto__ or constructor.prototype keys', async () => {
    for (const text of ['__proto__:\n  polluted: yes\n', 'constructor:\n  prototype:\n    polluted: yes\n', 'plugin:\n  x:\n    __proto__:\n      polluted: yes\n']) {
      await writeFile(join(dir, 'a.yaml'), text)
      const err = await refusal(loadConfig({ schema, env: {}, dir }))
      expect(err.code).toBe(ErrorCode.CONFIG_INVALID)
      expect(err.message).toContain('file ')
      expect(polluted()).toBe(undefined)
    }
  })

  it('environment: LUME___PROTO__POLLUTED and LUME_CONSTRUCTOR__PROTOTYPE__POLLUTED', async () => {
    for (const name of ['LUME___PROTO____POLLUTED', 'LUME___PROTO__POLLUTED', 'LUME_CONSTRUCTOR__PROTOTYPE__POLLUTED', 'LUME_PLUGIN____PROTO____POLLUTED']) {
      const err = await refusal(loadConfig({ schema, env: { [name]: 'yes' } }))
      expect(err.code).toBe(ErrorCode.CONFIG_INVALID)
      expect(err.message).toContain(`env ${name}`)
      expect(polluted()).toBe(undefined)
    }
  })

  it('defaults and set()', async () => {
    const defaults = JSON.parse('{"__proto__": {"polluted": "yes"}}') as Record<string, unknown>
    expect((await refusal(loadConfig({ schema, env: {}, defaults }))).message).toContain('defaults')
    const cfg = await loadConfig({ schema, env: {} })
    const err = (() => { try { cfg.set('__proto__.polluted', 'yes') } catch (e) { return e } return undefined })()
    expect(LumeError.hasCode(err, ErrorCode.CONFIG_INVALID)).toBe(true)
    expect(polluted()).toBe(undefined)
  })

  it('ordinary keys that merely contain the words still work', async () => {
    const cfg = await loadConfig({ schema, env: { LUME_PLUGIN__PROTOCOLS__MAX: '3' }, argv: ['--plugin.constructors.x=1'] })
    expect(cfg.get('plugin')).toEqual({ protocols: { max: 3 }, constructors: { x: 1 } })
  })
})
