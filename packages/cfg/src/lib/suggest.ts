import type { z } from 'zod'
import { editDistance } from './closest.js'
import { knownPaths, normalizeKey } from './schema-walk.js'

/** How a key path is written where it came from: in a file (`dht.bootstrap`), as a flag (`--dht.bootstrap`) or a variable (`LUME_DHT__BOOTSTRAP`). */
export type PathStyle = 'file' | 'flag' | { env: string }

/**
 * The known key path closest to `path` (compared without separators, so
 * `LUME_DHT_BOOTSTRAP` finds `dht.bootstrap`), written in `style`; or null
 * when nothing is close. The program's own `flags` are candidates too.
 */
export function suggestPath (schema: z.ZodType, path: readonly string[], options: { style: PathStyle, flags?: readonly string[] }): string | null {
  const wanted = normalizeKey(path.join(''))
  const candidates = [...knownPaths(schema), ...(options.flags ?? []).map((f) => [f])]
  let best: string[] | null = null
  let bestDistance = Math.max(1, Math.floor(wanted.length / 3)) + 1
  for (const candidate of candidates) {
    const d = editDistance(wanted, normalizeKey(candidate.join('')))
    if (d < bestDistance) { best = candidate; bestDistance = d }
  }
  return best === null ? null : render(best, options.style)
}

function render (path: readonly string[], style: PathStyle): string {
  if (style === 'file') return path.join('.')
  if (style === 'flag') return `--${path.join('.')}`
  return `${style.env}${path.map((k) => k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('__')}`
}
