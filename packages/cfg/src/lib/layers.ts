import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import type { z } from 'zod'
import { ErrorCode, LumeError } from '@lume/types'
import { childOf, isClosedObject, leafKind } from './schema-walk.js'
import { suggestPath, type PathStyle } from './suggest.js'
import { parseText } from './parse-text.js'
import { isForbiddenKey, isPlainObject, nestedDeeperThan, setIn, type Tree } from './tree.js'

/** One source of configuration and the keys it set, each with where it came from. */
export interface Layer {
  tree: Tree
  /** Dotted path → human-readable origin, e.g. `env LUME_RPC__PORT`. */
  origins: Map<string, string>
}

/** Deepest nesting of keys a config layer may have (deeper would only exhaust the stack). */
export const MAX_CONFIG_DEPTH = 32

/** The file extensions read from a config directory, in the order they are tried. */
export const CONFIG_EXTENSIONS = ['.json', '.yaml', '.yml'] as const

/**
 * Canonicalise a path (schema spelling, any case) and return it with the leaf
 * schema. A `__proto__`, `constructor` or `prototype` segment is refused with
 * `CONFIG_INVALID` naming `source`: it would reach `Object.prototype`.
 */
export function resolvePath (schema: z.ZodType, path: readonly string[], spell: (key: string) => string = (k) => k, source = 'a key path', strict?: Strictness): { path: string[], schema: z.ZodType | undefined } {
  if (path.length > MAX_CONFIG_DEPTH) throw new LumeError(ErrorCode.CONFIG_INVALID, `${source} nests keys deeper than ${MAX_CONFIG_DEPTH} levels`, { details: { source } })
  let current: z.ZodType | undefined = schema
  const out: string[] = []
  for (const [i, raw] of path.entries()) {
    const child = childOf(current, raw)
    if (strict !== undefined && !child.named && current !== undefined && isClosedObject(current)) {
      throw unknownKey(schema, [...out, ...path.slice(i)], source, strict)
    }
    const key = child.named ? child.key : spell(raw)
    if (isForbiddenKey(raw) || isForbiddenKey(key)) {
      throw new LumeError(ErrorCode.CONFIG_INVALID, `key "${raw}" in ${source} is not allowed (it would reach Object.prototype)`, { details: { key: raw, source } })
    }
    out.push(key)
    current = child.schema
  }
  return { path: out, schema: current }
}

/** How strict checking reports an unknown key: in the style of its source, with the program's own flags as candidates too. */
export interface Strictness {
  style: PathStyle
  flags?: readonly string[]
}

function unknownKey (schema: z.ZodType, path: readonly string[], source: string, strict: Strictness): LumeError {
  const near = suggestPath(schema, path, strict)
  const key = path.join('.')
  return new LumeError(ErrorCode.CONFIG_INVALID, `unknown key "${key}" in ${source}${near === null ? '' : ` (did you mean ${near}?)`}`, { details: { key, source, suggestion: near } })
}

/** A layer from a plain object (defaults, a parsed file), with keys put into the schema's spelling. */
export function layerFromObject (value: unknown, schema: z.ZodType, origin: string, strict = false): Layer {
  const layer: Layer = { tree: {}, origins: new Map() }
  const walk = (node: unknown, rawPath: string[]): void => {
    if (isPlainObject(node) && Object.keys(node).length > 0) {
      if (rawPath.length >= MAX_CONFIG_DEPTH) throw new LumeError(ErrorCode.CONFIG_INVALID, `${origin} nests keys deeper than ${MAX_CONFIG_DEPTH} levels`, { details: { source: origin } })
      for (const [key, child] of Object.entries(node)) walk(child, [...rawPath, key])
      return
    }
    if (rawPath.length === 0) return
    if (nestedDeeperThan(node, MAX_CONFIG_DEPTH - rawPath.length)) throw new LumeError(ErrorCode.CONFIG_INVALID, `${origin} nests values deeper than ${MAX_CONFIG_DEPTH} levels`, { details: { source: origin } })
    let path: string[]
    try {
      path = resolvePath(schema, rawPath, undefined, origin, strict ? { style: 'file' } : undefined).path
    } catch (err) {
      // Every unknown key of a file in one error: a typo list, not one round trip each.
      if (LumeError.isInstance(err) && (err.details as { suggestion?: unknown } | undefined)?.suggestion !== undefined) { unknown.push(err.message); return }
      throw err
    }
    setIn(layer.tree, path, node)
    layer.origins.set(path.join('.'), origin)
  }
  const unknown: string[] = []
  walk(value, [])
  if (unknown.length === 1) throw new LumeError(ErrorCode.CONFIG_INVALID, unknown[0] as string, { details: { source: origin } })
  if (unknown.length > 1) throw new LumeError(ErrorCode.CONFIG_INVALID, `unknown keys in ${origin}:\n${unknown.map((m) => `  ${m}`).join('\n')}`, { details: { source: origin } })
  return layer
}

/** Layers from every `*.json`, `*.yaml` and `*.yml` file in `dir`, in name order (later files win). A missing dir is no files. */
export async function layersFromDir (dir: string, schema: z.ZodType, strict = false): Promise<Layer[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new LumeError(ErrorCode.CONFIG_UNREADABLE, `cannot read config directory ${dir}`, { cause: err })
  }
  const files = names.filter((n) => (CONFIG_EXTENSIONS as readonly string[]).includes(extname(n))).sort()
  const layers: Layer[] = []
  for (const name of files) {
    const file = join(dir, name)
    layers.push(layerFromObject(await readConfigFile(file), schema, `file ${file}`, strict))
  }
  return layers
}

/** Layers from the given files, in order; unlike a directory's, a missing file is `CONFIG_UNREADABLE`. */
export async function layersFromFiles (files: readonly string[], schema: z.ZodType, strict = false): Promise<Layer[]> {
  const layers: Layer[] = []
  for (const file of files) {
    if (!existsSync(file)) throw new LumeError(ErrorCode.CONFIG_UNREADABLE, `config file ${file} does not exist`, { details: { file } })
    layers.push(layerFromObject(await readConfigFile(file), schema, `file ${file}`, strict))
  }
  return layers
}

/** Parse one JSON or YAML config file into a plain object. */
export async function readConfigFile (file: string): Promise<Tree> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw new LumeError(ErrorCode.CONFIG_UNREADABLE, `cannot read config file ${file}`, { cause: err })
  }
  return parseConfigText(text, file)
}

/** Parse the text of a config file (JSON for `.json`, YAML otherwise) into a plain object; `CONFIG_UNREADABLE` naming `file` if it is not one. */
export function parseConfigText (text: string, file: string): Tree {
  let parsed: unknown
  try {
    parsed = extname(file) === '.json' ? JSON.parse(text) : parseYaml(text)
  } catch (err) {
    throw new LumeError(ErrorCode.CONFIG_UNREADABLE, `config file ${file} is not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`, { cause: err })
  }
  if (parsed === null || parsed === undefined) return {}
  if (!isPlainObject(parsed)) throw new LumeError(ErrorCode.CONFIG_UNREADABLE, `config file ${file} must hold an object at the top level`)
  return parsed
}

/**
 * A layer from environment variables: `LUME_RPC__MAX_IN_FLIGHT=8` sets
 * `rpc.maxInFlight` to the number 8 (`__` separates levels; case and `_`
 * inside a key do not matter; text is parsed by the type the schema expects).
 * Keys the schema does not name (record keys such as plugin names) become
 * camelCase: `LUME_PLUGIN__REGISTRY__MAX_BYTES` sets `plugin.registry.maxBytes`.
 */
export function layerFromEnv (env: Record<string, string | undefined>, prefix: string, schema: z.ZodType, strict = false, ignore: readonly string[] = []): Layer {
  const layer: Layer = { tree: {}, origins: new Map() }
  const upperPrefix = prefix.toUpperCase()
  const ignored = new Set(ignore.map((n) => n.toUpperCase()))
  for (const [name, text] of Object.entries(env)) {
    if (text === undefined || !name.toUpperCase().startsWith(upperPrefix) || ignored.has(name.toUpperCase())) continue
    const raw = name.slice(prefix.length).split('__').filter((p) => p !== '')
    if (raw.length === 0) continue
    const resolved = resolvePath(schema, raw, camelCase, `env ${name}`, strict ? { style: { env: upperPrefix } } : undefined)
    setIn(layer.tree, resolved.path, parsedValue(text, resolved, `env ${name}`))
    layer.origins.set(resolved.path.join('.'), `env ${name}`)
  }
  return layer
}

/** The type of a program flag that is not a config key (`--dir`, `--testnet`, `--count`). */
export type FlagType = 'string' | 'boolean' | 'number'

/** Values of program flags, by name. */
export type FlagValues = Record<string, string | boolean | number>

/**
 * A layer from command-line flags: `--rpc.port=1234`, `--rpc.port 1234`,
 * `--verbose` (true), `--no-verbose` (false). Arguments that are not flags
 * are returned as positionals; the program's own `flags` (not config keys)
 * are parsed by their type and returned apart.
 */
export function layerFromArgv (argv: readonly string[], schema: z.ZodType, strict = false, flags: Readonly<Record<string, FlagType>> = {}): Layer & { positionals: string[], flags: FlagValues } {
  const layer = { tree: {}, origins: new Map<string, string>(), positionals: [] as string[], flags: {} as FlagValues }
  const strictness: Strictness | undefined = strict ? { style: 'flag', flags: Object.keys(flags) } : undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') { layer.positionals.push(...argv.slice(i + 1)); break }
    if (!arg.startsWith('--') || arg.length === 2) { layer.positionals.push(arg); continue }
    const eq = arg.indexOf('=')
    let key = eq === -1 ? arg.slice(2) : arg.slice(2, eq)
    let text: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1)
    const own = Object.hasOwn(flags, key) ? flags[key] : undefined
    if (own !== undefined) {
      if (text === undefined && own !== 'boolean') {
        const next = argv[i + 1]
        if (next === undefined || next.startsWith('--')) throw new LumeError(ErrorCode.CONFIG_INVALID, `flag --${key} needs a value`, { details: { source: `flag --${key}` } })
        text = next
        i++
      }
      layer.flags[key] = flagValue(key, own, text)
      continue
    }
    // `--no-x` is x = false when x is a boolean (and `no-x` itself is not a key).
    const loose = resolvePath(schema, key.split('.'), undefined, `flag --${key}`)
    let resolved = loose
    if (text === undefined && key.startsWith('no-') && leafKind(loose.schema) !== 'boolean') {
      const negated = resolvePath(schema, key.slice(3).split('.'), undefined, `flag --${key}`)
      if (leafKind(negated.schema) === 'boolean') { key = key.slice(3); resolved = negated; text = 'false' }
    }
    if (resolved === loose && strictness !== undefined) resolved = resolvePath(schema, key.split('.'), undefined, `flag --${key}`, strictness)
    if (text === undefined) {
      const next = argv[i + 1]
      if (leafKind(resolved.schema) !== 'boolean' && next !== undefined && !next.startsWith('--')) { text = next; i++ } else text = 'true'
    }
    setIn(layer.tree, resolved.path, parsedValue(text, resolved, `flag --${key}`))
    layer.origins.set(resolved.path.join('.'), `flag --${key}`)
  }
  return layer
}

function flagValue (key: string, type: FlagType, text: string | undefined): string | boolean | number {
  if (type === 'string') return text as string
  if (type === 'boolean') {
    if (text === undefined || text === 'true') return true
    if (text === 'false') return false
  } else {
    const n = Number(text)
    if (text !== undefined && text.trim() !== '' && Number.isFinite(n)) return n
  }
  throw new LumeError(ErrorCode.CONFIG_INVALID, `flag --${key} must be a ${type}, got "${text ?? ''}"`, { details: { source: `flag --${key}` } })
}

// Text parsed as JSON can nest without limit; merging layers recurses, so cap it.
function parsedValue (text: string, at: { path: string[], schema: z.ZodType | undefined }, source: string): unknown {
  const value = parseText(text, at.schema)
  if (nestedDeeperThan(value, MAX_CONFIG_DEPTH - at.path.length)) throw new LumeError(ErrorCode.CONFIG_INVALID, `${source} nests values deeper than ${MAX_CONFIG_DEPTH} levels`, { details: { source } })
  return value
}

/** `MAX_DATA_BYTES` → `maxDataBytes`, for environment keys the schema does not spell for us. */
function camelCase (key: string): string {
  return key.toLowerCase().replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}
