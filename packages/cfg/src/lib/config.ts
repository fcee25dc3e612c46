import { mkdir, rename, writeFile, readFile, chmod, stat } from 'node:fs/promises'
import { dirname, extname, join } from 'node:path'
import { existsSync } from 'node:fs'
import { Document, parseDocument } from 'yaml'
import type { z } from 'zod'
import { ErrorCode, LumeError } from '@lume/types'
import { layerFromArgv, layerFromEnv, layerFromObject, layersFromDir, layersFromFiles, resolvePath, type FlagType, type FlagValues, type Layer } from './layers.js'
import { deepMerge, getIn, isPlainObject, setIn, type Tree } from './tree.js'
import type { ConfigPath, ConfigValue } from './paths.js'

/** Options for {@link loadConfig}. */
export interface ConfigInit<S extends z.ZodType<object>> {
  /** The schema every layer is validated against (zod). Its defaults apply first. */
  schema: S
  /** Values under the files (the lowest layer after the schema's own defaults). */
  defaults?: Tree
  /** Directory whose `*.json`, `*.yaml`, `*.yml` files are read in name order; a function gets the program flags (e.g. `--dir`). @default no files */
  dir?: string | ((flags: Readonly<FlagValues>) => string)
  /** More files (JSON or YAML), read after `dir`'s in this order; a function gets the program flags (e.g. `--config`). A missing one is an error. @default none */
  files?: readonly string[] | ((flags: Readonly<FlagValues>) => readonly string[])
  /** The file {@link Config.save} writes. @default `<dir>/config.yaml` (or an existing `config.yml`/`config.json`) */
  userFile?: string
  /** Environment to read. @default process.env */
  env?: Record<string, string | undefined>
  /** Environment variable prefix; `__` separates levels. @default 'LUME_' */
  envPrefix?: string
  /** Command-line arguments (flags win over everything). @default [] */
  argv?: readonly string[]
  /**
   * An unknown key in a file, an unknown `LUME_` variable or flag is a
   * `CONFIG_INVALID` error naming its source and the closest known key
   * (inside records and catch-alls keys stay open). @default true
   */
  strict?: boolean
  /** The program's own flags (not config keys), by name and type; their values are {@link Config.flags}. @default none */
  flags?: Readonly<Record<string, FlagType>>
  /** Variables with the prefix that are not config (e.g. `LUME_RELAY_DIR`): not read, not errors. @default none */
  ignoreEnv?: readonly string[]
}

/** One validation problem: the key, what is wrong, and which layer set it. */
export interface ConfigIssue {
  /** The key, dotted (`rpc.maxInFlight`). */
  path: string
  /** What is wrong with its value. */
  message: string
  /** Where the value came from: `default`, a file, `env LUME_…` or `flag --…`. */
  source: string
}

/**
 * Read and validate configuration from all layers, lowest first: schema
 * defaults < `defaults` < files in `dir` < environment < flags.
 *
 * @example
 * ```ts
 * const schema = z.object({ rpc: z.object({ port: z.number().default(0) }).default({ port: 0 }) })
 * const cfg = await loadConfig({ schema, dir: '/etc/lume', argv: process.argv.slice(2) })
 * cfg.get('rpc.port')        // number
 * cfg.sourceOf('rpc.port')   // 'env LUME_RPC__PORT'
 * ```
 * @throws LumeError `CONFIG_INVALID` naming each bad key and where it came from; `CONFIG_UNREADABLE` for a broken file.
 */
export async function loadConfig<S extends z.ZodType<object>> (init: ConfigInit<S>): Promise<Config<z.output<S>>> {
  const { schema } = init
  const strict = init.strict ?? true
  const argvLayer = layerFromArgv(init.argv ?? [], schema, strict, init.flags)
  const dir = typeof init.dir === 'function' ? init.dir(argvLayer.flags) : init.dir
  const layers: Layer[] = [
    layerFromObject(init.defaults ?? {}, schema, 'defaults'),
    ...(dir === undefined ? [] : await layersFromDir(dir, schema, strict)),
    ...await layersFromFiles(typeof init.files === 'function' ? init.files(argvLayer.flags) : (init.files ?? []), schema, strict),
    layerFromEnv(init.env ?? process.env, init.envPrefix ?? 'LUME_', schema, strict, init.ignoreEnv),
    argvLayer
  ]
  const userFile = init.userFile ?? (dir === undefined ? undefined : defaultUserFile(dir))
  return new Config<z.output<S>>(schema as unknown as z.ZodType<z.output<S>>, layers, userFile, argvLayer.positionals, argvLayer.flags)
}

function defaultUserFile (dir: string): string {
  for (const name of ['config.yaml', 'config.yml', 'config.json']) {
    if (existsSync(join(dir, name))) return join(dir, name)
  }
  return join(dir, 'config.yaml')
}

/** Validated configuration with typed getters, provenance, and write-back. */
export class Config<T extends object> {
  /** Command-line arguments that were not flags. */
  readonly positionals: readonly string[]
  /** The program's own flags given (see {@link ConfigInit.flags}). */
  readonly flags: Readonly<FlagValues>
  private readonly schema: z.ZodType<T>
  private readonly layers: Layer[]
  private readonly userFile: string | undefined
  private readonly setLayer: Layer = { tree: {}, origins: new Map() }
  private readonly pending: Array<{ path: string[], value: unknown }> = []
  private current: T
  private origins: Map<string, string>

  /** @internal Use {@link loadConfig}. */
  constructor (schema: z.ZodType<T>, layers: Layer[], userFile: string | undefined, positionals: readonly string[], flags: Readonly<FlagValues> = {}) {
    this.schema = schema
    this.flags = flags
    this.layers = layers
    this.userFile = userFile
    this.positionals = positionals
    const { value, origins } = this.evaluate()
    this.current = value
    this.origins = origins
  }

  /** The whole validated configuration. */
  get value (): Readonly<T> {
    return this.current
  }

  /** The value at a dotted path (keys match without regard to case). */
  get<P extends ConfigPath<T>> (path: P): ConfigValue<T, P>
  get (path: string): unknown
  get (path: string): unknown {
    return getIn(this.current, this.canonical(path))
  }

  /** Where the value at `path` came from: `schema default`, `defaults`, `file …`, `env …`, `flag …` or `set`. */
  sourceOf (path: string): string {
    const parts = this.canonical(path)
    for (let n = parts.length; n > 0; n--) {
      const origin = this.origins.get(parts.slice(0, n).join('.'))
      if (origin !== undefined) return origin
    }
    return 'schema default'
  }

  /**
   * Change a value now and remember it for {@link save}. It goes into the
   * user-file layer, so environment variables and flags still win over it.
   * @throws LumeError `CONFIG_INVALID` if the result would not validate (nothing changes then).
   */
  set<P extends ConfigPath<T>> (path: P, value: ConfigValue<T, P>): void
  set (path: string, value: unknown): void
  set (path: string, value: unknown): void {
    const parts = this.canonical(path)
    const before = structuredClone(this.setLayer.tree)
    const beforeOrigin = this.setLayer.origins.get(parts.join('.'))
    setIn(this.setLayer.tree, parts, value)
    this.setLayer.origins.set(parts.join('.'), `set (${this.userFile ?? 'memory'})`)
    try {
      const { value: next, origins } = this.evaluate()
      this.current = next
      this.origins = origins
    } catch (err) {
      for (const key of Object.keys(this.setLayer.tree)) delete this.setLayer.tree[key]
      Object.assign(this.setLayer.tree, before)
      if (beforeOrigin === undefined) this.setLayer.origins.delete(parts.join('.'))
      else this.setLayer.origins.set(parts.join('.'), beforeOrigin)
      throw err
    }
    this.pending.push({ path: parts, value })
  }

  /**
   * Write every {@link set} value into the user file, keeping the file's
   * other keys (and, in YAML, its comments) as they are. The file is re-read
   * first, so edits made meanwhile are not lost, and replaced atomically.
   */
  async save (): Promise<void> {
    if (this.userFile === undefined) throw LumeError.invalidArgument('no user file to save to: pass `dir` or `userFile` to loadConfig')
    if (this.pending.length === 0) return
    const file = this.userFile
    let text = ''
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new LumeError(ErrorCode.CONFIG_UNREADABLE, `cannot read ${file}`, { cause: err })
    }
    const output = extname(file) === '.json' ? updateJson(text, this.pending) : updateYaml(text, this.pending)
    await mkdir(dirname(file), { recursive: true })
    const mode = await stat(file).then((s) => s.mode & 0o777, () => 0o600)
    const temp = `${file}.${process.pid}.tmp`
    await writeFile(temp, output, { mode })
    await chmod(temp, mode)
    await rename(temp, file)
    this.pending.length = 0
  }

  private canonical (path: string): string[] {
    return resolvePath(this.schema, path.split('.'), undefined, `path "${path}"`).path
  }

  private evaluate (): { value: T, origins: Map<string, string> } {
    const all = [...this.layers.slice(0, -2), this.setLayer, ...this.layers.slice(-2)]
    let tree: Tree = {}
    const origins = new Map<string, string>()
    for (const layer of all) {
      tree = deepMerge(tree, layer.tree)
      for (const [path, origin] of layer.origins) {
        for (const key of origins.keys()) if (key.startsWith(`${path}.`)) origins.delete(key)
        origins.set(path, origin)
      }
    }
    const result = this.schema.safeParse(tree)
    if (!result.success) throw invalid(result.error.issues, origins)
    return { value: result.data, origins }
  }
}

function invalid (issues: z.core.$ZodIssue[], origins: Map<string, string>): LumeError {
  const list: ConfigIssue[] = issues.map((issue) => {
    const path = issue.path.map(String)
    let source = 'schema default'
    for (let n = path.length; n >= 0; n--) {
      const origin = origins.get(path.slice(0, n).join('.'))
      if (origin !== undefined) { source = origin; break }
    }
    return { path: path.join('.') || '(root)', message: issue.message, source }
  })
  const lines = list.map((i) => `  ${i.path}: ${i.message} (from ${i.source})`)
  return new LumeError(ErrorCode.CONFIG_INVALID, `invalid configuration:\n${lines.join('\n')}`, { details: { issues: list } })
}

function updateJson (text: string, changes: Array<{ path: string[], value: unknown }>): string {
  const data: unknown = text.trim() === '' ? {} : JSON.parse(text)
  const tree: Tree = isPlainObject(data) ? data : {}
  for (const { path, value } of changes) setIn(tree, path, value)
  return `${JSON.stringify(tree, null, 2)}\n`
}

function updateYaml (text: string, changes: Array<{ path: string[], value: unknown }>): string {
  // An empty file parses to a document with no contents; start from an empty map then.
  const doc = text.trim() === '' ? new Document({}) : parseDocument(text)
  for (const { path, value } of changes) doc.setIn(path, value)
  return doc.toString()
}
