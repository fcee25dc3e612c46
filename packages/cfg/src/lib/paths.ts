/** Depth guard for {@link ConfigPath}: config trees deeper than this are not typed path by path. */
type Depth = [never, 0, 1, 2, 3, 4, 5, 6]

/**
 * Every dotted path into a config type: `'rpc' | 'rpc.port' | …`.
 * Arrays are leaves; records give `${string}` segments.
 */
export type ConfigPath<T, D extends number = 6> = [D] extends [never]
  ? never
  : T extends readonly unknown[]
    ? never
    : T extends object
      ? { [K in keyof T & string]: K | (NonNullable<T[K]> extends readonly unknown[] ? never : NonNullable<T[K]> extends object ? `${K}.${ConfigPath<NonNullable<T[K]>, Depth[D]>}` : never) }[keyof T & string]
      : never

/** The type of the value at a dotted path. */
export type ConfigValue<T, P extends string> = P extends `${infer K}.${infer Rest}`
  ? K extends keyof T ? ConfigValue<NonNullable<T[K]>, Rest> | (undefined extends T[K] ? undefined : never) : unknown
  : P extends keyof T ? T[P] : unknown
