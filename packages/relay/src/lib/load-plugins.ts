import { createRequire } from 'node:module'
import { isAbsolute, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ErrorCode, LumeError, type Logger, type Plugin } from '@lume/types'

/** The part of a zod schema the relay uses to check a plugin's config section. */
export interface PluginConfigSchema {
  safeParse (value: unknown): { success: true, data: unknown } | { success: false, error: { issues: ReadonlyArray<{ path: readonly PropertyKey[], message: string }> } }
}

/**
 * What a plugin module exports: the plugin (or a function returning one) as
 * default, and optionally `configSchema`, the zod schema of its config
 * section (`plugin.<name>`), and `pluginName`, the section's name.
 */
export interface PluginModule {
  default?: unknown
  configSchema?: PluginConfigSchema
  pluginName?: string
}

/** A loaded plugin with the schema of its config section, if its module exports one. */
export interface LoadedPlugin {
  spec: string
  plugin: Plugin
  configSchema: PluginConfigSchema | null
  /** The name of its config section, known before it starts (the module's `pluginName`, else the plugin's name). */
  name: string
}

/**
 * Import each configured plugin: a package name, or a path relative to
 * `baseDir`. A package is looked up from the relay directory first (an
 * operator's `node_modules` there), then from the relay's own install (a
 * package installed beside `@lume/relay`); its
 * `<name>/relay-plugin` subpath is preferred to its main entry. The default
 * export is a {@link Plugin} or a function returning one (sync or async).
 * One that fails is logged by name and left out; with `strict`, the first
 * failure throws `PLUGIN_FAILED` instead.
 */
export async function loadPlugins (specs: readonly string[], baseDir: string, logger: Logger, strict = false): Promise<Plugin[]> {
  return (await loadPluginModules(specs, baseDir, logger, strict)).map((l) => l.plugin)
}

/**
 * {@link loadPlugins}, keeping each plugin's config schema. Packages are also
 * looked up from `searchDirs` (after `baseDir`, before the relay's install),
 * e.g. the directory of a `--config` file. Specs in `optional` are logged and
 * left out when they fail, even when `strict`.
 */
export async function loadPluginModules (specs: readonly string[], baseDir: string, logger: Logger, strict = false, searchDirs: readonly string[] = [], optional: ReadonlySet<string> = new Set()): Promise<LoadedPlugin[]> {
  const plugins: LoadedPlugin[] = []
  for (const spec of specs) {
    try {
      plugins.push(await loadPlugin(spec, baseDir, searchDirs))
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      if (strict && !optional.has(spec)) throw new LumeError(ErrorCode.PLUGIN_FAILED, `plugin ${spec} could not be loaded: ${reason}`, { cause: err })
      logger.error({ plugin: spec, err }, `plugin ${spec} could not be loaded; the relay continues without it`)
    }
  }
  return plugins
}

async function loadPlugin (spec: string, baseDir: string, searchDirs: readonly string[]): Promise<LoadedPlugin> {
  const isPath = spec.startsWith('.') || isAbsolute(spec)
  const target = isPath ? pathToFileURL(resolve(baseDir, spec)).href : resolvePackage(spec, [baseDir, ...searchDirs])
  const module = await import(target) as PluginModule
  const exported = module.default
  const plugin = typeof exported === 'function' ? await (exported as () => unknown)() : exported
  if (typeof plugin !== 'object' || plugin === null || typeof (plugin as Plugin).start !== 'function') {
    throw new LumeError(ErrorCode.PLUGIN_FAILED, `${spec} does not export a plugin (default export: a Plugin or a function returning one)`)
  }
  const schema = module.configSchema
  const configSchema = typeof schema?.safeParse === 'function' ? schema : null
  const name = typeof module.pluginName === 'string' ? module.pluginName : (plugin as Plugin).name
  return { spec, plugin: plugin as Plugin, configSchema, name }
}

/** A package's plugin entry as a URL, resolved from each directory in turn, then from this package. */
function resolvePackage (spec: string, dirs: readonly string[]): string {
  // The file name is only an anchor: resolution starts in its directory.
  const from = [...dirs.map((d) => createRequire(join(d, 'package.json'))), createRequire(import.meta.url)]
  for (const require of from) {
    for (const id of [`${spec}/relay-plugin`, spec]) {
      try {
        return pathToFileURL(require.resolve(id)).href
      } catch {
        // not here: try the next place
      }
    }
  }
  throw new LumeError(ErrorCode.PLUGIN_FAILED, `cannot find ${spec} from ${dirs.join(', ')} or the relay's install (install it next to the relay, or in the relay directory: npm install ${spec})`)
}
