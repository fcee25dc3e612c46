import { isAbsolute, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ErrorCode, LumeError, type Logger, type Plugin } from '@lume/types'

/**
 * Import each configured plugin: a package name, or a path relative to
 * `baseDir`. The module's default export is a {@link Plugin} or a function
 * returning one (sync or async). One that fails is logged by name and left
 * out; with `strict`, the first failure throws `PLUGIN_FAILED` instead.
 */
export async function loadPlugins (specs: readonly string[], baseDir: string, logger: Logger, strict = false): Promise<Plugin[]> {
  const plugins: Plugin[] = []
  for (const spec of specs) {
    try {
      plugins.push(await loadPlugin(spec, baseDir))
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      if (strict) throw new LumeError(ErrorCode.PLUGIN_FAILED, `plugin ${spec} could not be loaded: ${reason}`, { cause: err })
      logger.error({ plugin: spec, err }, `plugin ${spec} could not be loaded; the relay continues without it`)
    }
  }
  return plugins
}

async function loadPlugin (spec: string, baseDir: string): Promise<Plugin> {
  const isPath = spec.startsWith('.') || isAbsolute(spec)
  const target = isPath ? pathToFileURL(resolve(baseDir, spec)).href : spec
  const module = await import(target) as { default?: unknown }
  const exported = module.default
  const plugin = typeof exported === 'function' ? await (exported as () => unknown)() : exported
  if (typeof plugin !== 'object' || plugin === null || typeof (plugin as Plugin).start !== 'function') {
    throw new LumeError(ErrorCode.PLUGIN_FAILED, `${spec} does not export a plugin (default export: a Plugin or a function returning one)`)
  }
  return plugin as Plugin
}
