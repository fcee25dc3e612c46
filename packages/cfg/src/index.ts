/**
 * @packageDocumentation
 * Layered, validated configuration for Lume programs. Layers, lowest first:
 * the schema's defaults, `defaults`, JSON/YAML files in a directory,
 * environment variables (`LUME_` prefix, `__` between levels) and
 * command-line flags. Keys match without regard to case; every error names
 * the key and the layer that set it.
 *
 * @example
 * ```ts
 * import { z } from 'zod'
 * import { loadConfig } from '@lume/cfg'
 *
 * const schema = z.object({ port: z.number().int().min(0).max(65535).default(0) })
 * const cfg = await loadConfig({ schema, dir: './config', argv: process.argv.slice(2) })
 * console.log(cfg.get('port'), 'from', cfg.sourceOf('port'))
 * ```
 */
export { loadConfig, Config, type ConfigInit, type ConfigIssue } from './lib/config.js'
export { closest, editDistance } from './lib/closest.js'
export type { FlagType, FlagValues } from './lib/layers.js'
export type { ConfigPath, ConfigValue } from './lib/paths.js'
export type { Tree } from './lib/tree.js'
