import { ErrorCode, LumeError } from '@lume/types'
import { assertMethodName } from './method.js'
import type { ServedMethod } from '@lume/types'

/**
 * The methods a server serves. Connections look methods up here on every
 * call, so a method registered after a connection opened is callable on it.
 */
export class MethodRegistry {
  private readonly methods = new Map<string, ServedMethod<unknown, unknown>>()
  private readonly listeners = new Set<(name: string) => void>()

  /** Add a method. Throws `ALREADY_REGISTERED` if the name is taken. */
  register<Req, Res> (method: ServedMethod<Req, Res>): void {
    assertMethodName(method.name)
    if (this.methods.has(method.name)) throw new LumeError(ErrorCode.ALREADY_REGISTERED, `method ${method.name} is already registered`)
    this.methods.set(method.name, method as unknown as ServedMethod<unknown, unknown>)
    for (const listener of this.listeners) listener(method.name)
  }

  /** Remove a method; calls to it then fail with `UNKNOWN_METHOD`. */
  unregister (name: string): boolean {
    return this.methods.delete(name)
  }

  /** The method called `name`, if any. */
  get (name: string): ServedMethod<unknown, unknown> | undefined {
    return this.methods.get(name)
  }

  /** Every registered name, sorted. */
  names (): string[] {
    return [...this.methods.keys()].sort()
  }

  /** @internal Called with each newly registered name (connections add a responder). */
  onRegister (listener: (name: string) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
