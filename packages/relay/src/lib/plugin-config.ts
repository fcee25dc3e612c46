import { ErrorCode, LumeError } from '@lume/types'
import { closest } from '@lume/cfg'
import type { LoadedPlugin } from './load-plugins.js'

/**
 * Each loaded plugin's config section (`plugin.<name>`), checked against the
 * schema its module exports (defaults filled in). A section for a plugin
 * that is not loaded, or one that does not validate, is `CONFIG_INVALID`
 * naming the key and the closest valid name.
 */
export function pluginSections (loaded: readonly LoadedPlugin[], sections: Readonly<Record<string, Readonly<Record<string, unknown>>>>): Record<string, Readonly<Record<string, unknown>>> {
  const out: Record<string, Readonly<Record<string, unknown>>> = {}
  const problems: string[] = []
  const names = loaded.map((l) => l.name)
  for (const name of Object.keys(sections)) {
    if (names.includes(name)) continue
    const near = closest(name, names)
    problems.push(`  plugin.${name}: no loaded plugin has this name${near === null ? '' : ` (did you mean plugin.${near}?)`}; loaded: ${names.join(', ') || 'none'}`)
  }
  for (const { name, configSchema } of loaded) {
    const section = sections[name] ?? {}
    if (configSchema === null) { out[name] = section; continue }
    const result = configSchema.safeParse(section)
    if (result.success) {
      out[name] = result.data as Record<string, unknown>
      continue
    }
    for (const issue of result.error.issues) {
      const keys = (issue as { keys?: unknown }).keys
      const path = ['plugin', name, ...issue.path.map(String)].join('.')
      const hint = Array.isArray(keys) ? suggestion(configSchema, issue.path.map(String), keys as string[]) : ''
      problems.push(`  ${path}: ${issue.message}${hint}`)
    }
  }
  if (problems.length > 0) throw new LumeError(ErrorCode.CONFIG_INVALID, `invalid plugin configuration:\n${problems.join('\n')}`)
  return out
}

/** ` (did you mean …?)` for an unknown key, from the keys the schema knows at that level. */
function suggestion (schema: unknown, path: readonly string[], unknown: readonly string[]): string {
  let node = schema as { shape?: Record<string, unknown>, unwrap?: () => unknown, def?: { innerType?: unknown } }
  for (const key of path) {
    node = unwrapped(node)
    node = (node.shape?.[key] ?? {}) as typeof node
  }
  node = unwrapped(node)
  const known = Object.keys(node.shape ?? {})
  const hints = unknown.map((key) => closest(key, known)).filter((k): k is string => k !== null)
  return hints.length === 0 ? '' : ` (did you mean ${hints.join(', ')}?)`
}

function unwrapped<T extends { def?: { innerType?: unknown } }> (node: T): T {
  let current = node
  for (let i = 0; i < 8 && current.def?.innerType !== undefined; i++) current = current.def.innerType as T
  return current
}
