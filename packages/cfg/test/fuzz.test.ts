import { afterEach, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { z } from 'zod'
import { ErrorCode, LumeError } from '@lume/types'
import { loadConfig } from '../src/index.js'
import { layerFromArgv, layerFromEnv, layerFromObject, MAX_CONFIG_DEPTH, parseConfigText } from '../src/lib/layers.js'
import { fuzzParams } from '../../../scripts/test-helpers/fuzz.ts'

// Whatever a config file, the environment or the command line holds, loading
// either gives a config or throws a LumeError, and Object.prototype never
// changes.

const schema = z.object({
  name: z.string().default('relay'),
  port: z.number().int().min(0).max(65535).default(0),
  verbose: z.boolean().default(false),
  rpc: z.object({ maxInFlight: z.number().int().positive().default(64) }).default({ maxInFlight: 64 }),
  bootstrap: z.array(z.string()).default([]),
  plugin: z.record(z.string(), z.record(z.string(), z.unknown())).default({})
})

const segment = fc.oneof(
  fc.constantFrom('name', 'port', 'verbose', 'rpc', 'maxInFlight', 'MAX_IN_FLIGHT', 'bootstrap', 'plugin', 'registry', '__proto__', 'constructor', 'prototype', '__PROTO__', 'toString', 'hasOwnProperty', 'valueOf', ''),
  fc.string({ maxLength: 8 })
)
const keyPath = fc.array(segment, { minLength: 1, maxLength: 5 })
const valueText = fc.oneof(fc.constantFrom('1', 'yes', 'no', '[1,2]', '{"__proto__":{"polluted":1}}', '{"a":1}', '', 'a,b', '1e400', '-0'), fc.string({ maxLength: 12 }), fc.json({ maxDepth: 2 }))
const argv = fc.array(fc.oneof(
  fc.tuple(keyPath, valueText).map(([p, v]) => `--${p.join('.')}=${v}`),
  keyPath.map((p) => `--${p.join('.')}`),
  keyPath.map((p) => `--no-${p.join('.')}`),
  valueText,
  fc.constant('--')
), { maxLength: 6 })
const env = fc.dictionary(fc.oneof(keyPath.map((p) => `LUME_${p.join('__').toUpperCase()}`), fc.string({ maxLength: 12 })), valueText, { maxKeys: 5 })
const jsonText = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.tuple(keyPath, fc.json({ maxDepth: 1 })).map(([p, v]) => p.reduceRight((inner, k) => `{${JSON.stringify(k)}:${inner}}`, v)),
  fc.string({ maxLength: 40 })
)
const yamlText = fc.oneof(
  fc.tuple(keyPath, fc.string({ maxLength: 8 })).map(([p, v]) => p.map((k, i) => `${'  '.repeat(i)}${JSON.stringify(k)}:`).join('\n') + ` ${JSON.stringify(v)}\n`),
  fc.string({ maxLength: 60 }),
  fc.constantFrom('<<: {polluted: 1}\n', 'a: &x [*x]\n', '!!js/function "x"\n', '__proto__: !!map {polluted: 1}\n', 'a: !!binary AAAA\n', '? [a]\n: 1\n')
)

const prototypeKeys = (): string[] => Object.getOwnPropertyNames(Object.prototype).sort()
const before = prototypeKeys()
afterEach(() => { expect(prototypeKeys()).toEqual(before) })

function typedOrValue (f: () => unknown): void {
  try { f() } catch (err) { if (!LumeError.isInstance(err)) throw err }
}

describe('fuzz: cfg sources', () => {
  it('flags', () => {
    fc.assert(fc.property(argv, (args) => {
      typedOrValue(() => layerFromArgv(args, schema))
      expect(prototypeKeys()).toEqual(before)
    }), fuzzParams())
  })

  it('environment', () => {
    fc.assert(fc.property(env, (vars) => {
      typedOrValue(() => layerFromEnv(vars, 'LUME_', schema))
      expect(prototypeKeys()).toEqual(before)
    }), fuzzParams())
  })

  it('JSON and YAML files', () => {
    fc.assert(fc.property(fc.oneof(jsonText.map((t) => [t, 'a.json'] as const), yamlText.map((t) => [t, 'a.yaml'] as const)), ([text, file]) => {
      typedOrValue(() => layerFromObject(parseConfigText(text, file), schema, `file ${file}`))
      expect(prototypeKeys()).toEqual(before)
    }), fuzzParams())
  })

  it('loadConfig over all layers at once', async () => {
    await fc.assert(fc.asyncProperty(argv, env, jsonText, async (args, vars, text) => {
      let defaults: Record<string, unknown> = {}
      try { defaults = parseConfigText(text, 'defaults.json') } catch { /* not an object: no defaults */ }
      try {
        await loadConfig({ schema, argv: args, env: vars, defaults })
      } catch (err) {
        if (!LumeError.isInstance(err)) throw err
      }
      expect(({} as Record<string, unknown>).polluted).toBe(undefined)
    }), { numRuns: Math.max(1, Math.floor(fuzzParams().numRuns / 4)) })
  })
})

describe('fuzz regressions: cfg', () => {
  it('a key path deeper than MAX_CONFIG_DEPTH is CONFIG_INVALID, not a stack overflow', async () => {
    const deep = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000)
    const err = (f: () => unknown): unknown => { try { f() } catch (e) { return e } return undefined }
    expect(LumeError.hasCode(err(() => layerFromObject(JSON.parse(deep), schema, 'file deep.json')), ErrorCode.CONFIG_INVALID)).toBe(true)
    expect(LumeError.hasCode(err(() => layerFromArgv([`--${'a.'.repeat(50_000)}a=1`], schema)), ErrorCode.CONFIG_INVALID)).toBe(true)
    expect(LumeError.hasCode(err(() => layerFromEnv({ [`LUME_${'A__'.repeat(MAX_CONFIG_DEPTH + 1)}A`]: '1' }, 'LUME_', schema)), ErrorCode.CONFIG_INVALID)).toBe(true)
  })

  it('a JSON value nested deeper than MAX_CONFIG_DEPTH in a flag or the environment is CONFIG_INVALID (merging two overflowed the stack)', async () => {
    const deep = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000)
    for (const init of [{ argv: [`--plugin.x.y=${deep}`], env: {} }, { env: { LUME_PLUGIN__X__Y: deep } }, { argv: [`--plugin.x.y=${deep}`], env: { LUME_PLUGIN__X__Y: deep } }]) {
      let error: unknown
      try { await loadConfig({ schema, ...init }) } catch (e) { error = e }
      expect(LumeError.hasCode(error, ErrorCode.CONFIG_INVALID)).toBe(true)
    }
    const shallow = await loadConfig({ schema, env: {}, argv: ['--plugin.x.y={"a":{"b":[1]}}'] })
    expect(shallow.get('plugin')).toEqual({ x: { y: { a: { b: [1] } } } })
  })
})
