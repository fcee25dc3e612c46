import type { z } from 'zod'

/** The kinds of value a config leaf can hold, as far as parsing text is concerned. */
export type LeafKind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'unknown'

interface Def {
  type: string
  innerType?: z.ZodType
  element?: z.ZodType
  valueType?: z.ZodType
  in?: z.ZodType
  catchall?: z.ZodType
  options?: z.ZodType[]
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { def: Def }).def

/** Strip wrappers (optional, default, nullable, pipe…) down to the schema that says what the value is. */
export function unwrap (schema: z.ZodType): z.ZodType {
  let current = schema
  for (;;) {
    const def = defOf(current)
    if (def.innerType !== undefined) current = def.innerType
    else if (def.type === 'pipe' && def.in !== undefined) current = def.in
    else return current
  }
}

/** Keys compare without case, `_` or `-`: `MAX_IN_FLIGHT`, `max-in-flight` and `maxInFlight` are one key. */
export function normalizeKey (key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '')
}

/**
 * The schema's own spelling of `key` under the object `schema` (`named`), and
 * the schema of that child. For records and unknown keys the key is kept as
 * written and the child schema is the record's value type (or undefined).
 */
export function childOf (schema: z.ZodType | undefined, key: string): { key: string, schema: z.ZodType | undefined, named: boolean } {
  if (schema === undefined) return { key, schema: undefined, named: false }
  const inner = unwrap(schema)
  const def = defOf(inner)
  if (def.type === 'object') {
    const shape = (inner as unknown as { shape: Record<string, z.ZodType> }).shape
    const wanted = normalizeKey(key)
    for (const [name, child] of Object.entries(shape)) {
      if (normalizeKey(name) === wanted) return { key: name, schema: child, named: true }
    }
    return { key, schema: def.catchall, named: false }
  }
  if (def.type === 'record') return { key, schema: def.valueType, named: false }
  return { key, schema: undefined, named: false }
}

/** What kind of leaf `schema` describes, for turning text (env, flags) into a value. */
export function leafKind (schema: z.ZodType | undefined): LeafKind {
  if (schema === undefined) return 'unknown'
  const def = defOf(unwrap(schema))
  switch (def.type) {
    case 'string': case 'enum': case 'literal': case 'template_literal': return 'string'
    case 'number': case 'int': case 'bigint': return 'number'
    case 'boolean': return 'boolean'
    case 'array': case 'tuple': case 'set': return 'array'
    case 'object': case 'record': case 'map': return 'object'
    default: return 'unknown'
  }
}

/** The element schema of an array schema. */
export function elementOf (schema: z.ZodType | undefined): z.ZodType | undefined {
  return schema === undefined ? undefined : defOf(unwrap(schema)).element
}

/** True for an object schema that names all its keys (no catch-all, or a `never` one): another key is a mistake. */
export function isClosedObject (schema: z.ZodType): boolean {
  const def = defOf(unwrap(schema))
  if (def.type !== 'object') return false
  return def.catchall === undefined || defOf(def.catchall).type === 'never'
}

/** Every key path the schema names, through nested objects (not into records or catch-alls), up to `depth` levels. */
export function knownPaths (schema: z.ZodType, depth = 6): string[][] {
  const out: string[][] = []
  const walk = (node: z.ZodType, prefix: string[]): void => {
    const inner = unwrap(node)
    if (defOf(inner).type !== 'object' || prefix.length >= depth) return
    for (const [key, child] of Object.entries((inner as unknown as { shape: Record<string, z.ZodType> }).shape)) {
      out.push([...prefix, key])
      walk(child, [...prefix, key])
    }
  }
  walk(schema, [])
  return out
}
