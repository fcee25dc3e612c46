/** A nested plain-object config tree. */
export type Tree = Record<string, unknown>

/** True for `{}`-style objects (not arrays, null, dates, buffers). */
export function isPlainObject (value: unknown): value is Tree {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/** The value at `path`, or undefined. */
export function getIn (tree: unknown, path: readonly string[]): unknown {
  let current = tree
  for (const key of path) {
    if (!isPlainObject(current)) return undefined
    current = current[key]
  }
  return current
}

/** Set `value` at `path`, creating objects on the way (replacing non-objects). */
export function setIn (tree: Tree, path: readonly string[], value: unknown): void {
  let current = tree
  for (const key of path.slice(0, -1)) {
    const next = current[key]
    if (isPlainObject(next)) {
      current = next
    } else {
      const created: Tree = {}
      current[key] = created
      current = created
    }
  }
  const last = path.at(-1)
  if (last !== undefined) current[last] = value
}

/** `over` merged onto `base`, recursively for objects; arrays and scalars replace. Neither input changes. */
export function deepMerge (base: Tree, over: Tree): Tree {
  const out: Tree = { ...base }
  for (const [key, value] of Object.entries(over)) {
    const existing = out[key]
    out[key] = isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : value
  }
  return out
}

/** Every leaf of `tree` as [path, value]; arrays and empty objects count as leaves. */
export function leaves (tree: Tree, prefix: string[] = []): Array<[string[], unknown]> {
  const out: Array<[string[], unknown]> = []
  for (const [key, value] of Object.entries(tree)) {
    const path = [...prefix, key]
    if (isPlainObject(value) && Object.keys(value).length > 0) out.push(...leaves(value, path))
    else out.push([path, value])
  }
  return out
}
