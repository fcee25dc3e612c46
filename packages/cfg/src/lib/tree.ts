/** A nested plain-object config tree. */
export type Tree = Record<string, unknown>

/** True for `{}`-style objects (not arrays, null, dates, buffers). */
export function isPlainObject (value: unknown): value is Tree {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/**
 * Key names that reach `Object.prototype` when used as a path (`__proto__`,
 * `constructor`, `prototype`), compared without case, `_` or `-` as config
 * keys are. A config never uses them: {@link setIn} and every layer refuse them.
 */
export function isForbiddenKey (key: string): boolean {
  const normal = key.toLowerCase().replace(/[_-]/g, '')
  return normal === 'proto' || normal === 'constructor' || normal === 'prototype'
}

/** True when objects and arrays in `value` nest deeper than `max` levels (checked without recursion). */
export function nestedDeeperThan (value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number]
    if (typeof node !== 'object' || node === null) continue
    if (depth >= max) return true
    for (const child of Object.values(node)) stack.push([child, depth + 1])
  }
  return false
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
  // A last line of defence: callers refuse these keys with the source named.
  if (path.some(isForbiddenKey)) throw new TypeError(`setIn: forbidden key in path ${path.join('.')}`)
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
    if (isForbiddenKey(key)) continue
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
