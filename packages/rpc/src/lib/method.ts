import { LumeError, type MethodSpec } from '@lume/types'
import { METHOD_NAME } from './constants.js'

/** Declare a method spec, checking its name. */
export function defineMethod<Req, Res> (spec: MethodSpec<Req, Res>): MethodSpec<Req, Res> {
  assertMethodName(spec.name)
  return spec
}

/** Throws INVALID_ARGUMENT unless `name` is `module.method`. */
export function assertMethodName (name: string): void {
  if (!METHOD_NAME.test(name)) throw LumeError.invalidArgument(`method name must be "module.method" (letters, digits, _ and -), got "${name}"`)
}
