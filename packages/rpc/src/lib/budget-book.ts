import {
  ErrorCode, LumeError, silentLogger, TokenBucket,
  type BudgetLimits, type Logger, type RateLimit, type RateLimits
} from '@lume/types'
import { DEFAULT_BUDGETS, RpcBudget } from './constants.js'
import { ConnectionBudget } from './connection-budget.js'
import { ThrottledLog } from './throttled-log.js'
import type { RpcLimits } from './limits.js'

/** Options for {@link BudgetBook}. */
export interface BudgetBookInit {
  /** Operator overrides of budget kinds, by kind (merged over the defaults a kind is defined with). @default {} */
  budgets?: Readonly<Record<string, Partial<BudgetLimits>>>
  /** Operator overrides of rate kinds, by kind. @default {} */
  rates?: Readonly<Record<string, { perPeer?: Partial<RateLimit>, perAddress?: Partial<RateLimit> }>>
  /** True while the process is short of memory: new work is answered `BUSY`. @default never */
  overloaded?: () => boolean
  /** Refusals are logged here, throttled per kind. @default silent */
  logger?: Logger
  /** The clock rates refill by. @default Date.now */
  now?: () => number
}

/** @internal A defined budget kind and what the whole relay holds of it. */
export interface BudgetKind {
  readonly name: string
  readonly limits: BudgetLimits
  global: number
}

/** @internal A defined rate kind. */
export interface RateKind {
  readonly name: string
  readonly limits: RateLimits
}

/** @internal What one remote address holds, across all its connections. */
export interface AddressEntry {
  /** The key in the book: the host, or a key of its own for a connection charged alone. */
  readonly key: string
  readonly host: string
  /** Connections from this address open now. */
  peers: number
  readonly held: Map<BudgetKind, number>
  readonly buckets: Map<RateKind, TokenBucket>
}

/** Addresses whose connections are gone but whose rate buckets are not full yet, at most this many are remembered. */
const MAX_DRAINING = 4096

/**
 * The relay-wide book of budgets: every kind of state peers can make the
 * relay hold, and every rate they spend, with per-peer, per-address and
 * global accounting. Each connection gets a {@link ConnectionBudget} from
 * {@link BudgetBook.peer}; closing it releases everything it held. Address
 * entries are dropped once they hold nothing and their buckets are full, so
 * the book's size is bounded by the peers connected now.
 *
 * @example
 * ```ts
 * const book = new BudgetBook({ budgets: { 'registry.subscriptions': { perAddress: 64 } } })
 * book.defineBudget('registry.subscriptions', { perPeer: 16, perAddress: 128, global: 8192 })
 * const budget = book.peer(socket.rawStream.remoteHost)
 * const release = budget.hold('registry.subscriptions') // throws RATE_LIMITED / BUSY when over
 * ```
 */
export class BudgetBook {
  private readonly budgets = new Map<string, BudgetKind>()
  private readonly rates = new Map<string, RateKind>()
  private readonly addresses = new Map<string, AddressEntry>()
  /** Addresses with no connection left whose buckets still remember spending (oldest first). */
  private readonly draining = new Set<AddressEntry>()
  private readonly refusals: ThrottledLog
  private readonly init: BudgetBookInit
  private alone = 0
  /** The clock rates refill by. */
  readonly now: () => number

  constructor (init: BudgetBookInit = {}) {
    this.init = init
    this.now = init.now ?? Date.now
    this.refusals = new ThrottledLog(init.logger ?? silentLogger)
    this.defineBudget(RpcBudget.CALLS, DEFAULT_BUDGETS[RpcBudget.CALLS])
    this.defineBudget(RpcBudget.STREAMS, DEFAULT_BUDGETS[RpcBudget.STREAMS])
  }

  /** A book for a connection that has no relay's book: only its own `maxInFlight` and `maxStreams` apply. */
  static ofOneConnection (limits: Pick<RpcLimits, 'maxInFlight' | 'maxStreams'>, logger: Logger): BudgetBook {
    return new BudgetBook({
      logger,
      budgets: {
        [RpcBudget.CALLS]: { perPeer: limits.maxInFlight, perAddress: Infinity, global: Infinity },
        [RpcBudget.STREAMS]: { perPeer: limits.maxStreams, perAddress: Infinity, global: Infinity }
      }
    })
  }

  get [Symbol.toStringTag] (): string {
    return 'BudgetBook'
  }

  /**
   * Declare a kind of state peers can hold; the operator's override for
   * `kind` (if any) wins over `defaults`. Throws `ALREADY_REGISTERED` if taken.
   */
  defineBudget (kind: string, defaults: BudgetLimits): void {
    if (this.budgets.has(kind)) throw new LumeError(ErrorCode.ALREADY_REGISTERED, `budget ${kind} is already defined`)
    const limits = { ...defaults, ...definedOnly(this.init.budgets?.[kind]) }
    for (const [key, value] of Object.entries(limits)) checkLimit(`budgets.${kind}.${key}`, value)
    this.budgets.set(kind, { name: kind, limits, global: 0 })
  }

  /** Declare a rate peers spend; the operator's override for `kind` wins. Throws `ALREADY_REGISTERED` if taken. */
  defineRate (kind: string, defaults: RateLimits): void {
    if (this.rates.has(kind)) throw new LumeError(ErrorCode.ALREADY_REGISTERED, `rate ${kind} is already defined`)
    const override = this.init.rates?.[kind]
    const limits: RateLimits = {
      perPeer: { ...defaults.perPeer, ...definedOnly(override?.perPeer) },
      perAddress: { ...defaults.perAddress, ...definedOnly(override?.perAddress) }
    }
    for (const scope of ['perPeer', 'perAddress'] as const) {
      checkLimit(`rates.${kind}.${scope}.perSecond`, limits[scope].perSecond)
      checkLimit(`rates.${kind}.${scope}.burst`, limits[scope].burst)
    }
    this.rates.set(kind, { name: kind, limits })
  }

  /** The limits in force for a budget kind (defaults merged with overrides), or undefined. */
  budgetLimits (kind: string): BudgetLimits | undefined {
    return this.budgets.get(kind)?.limits
  }

  /** The limits in force for a rate kind, or undefined. */
  rateLimits (kind: string): RateLimits | undefined {
    return this.rates.get(kind)?.limits
  }

  /** Units of `kind` the whole relay holds now. */
  used (kind: string): number {
    return this.budgets.get(kind)?.global ?? 0
  }

  /** Units of `kind` all connections from `host` hold now. */
  usedBy (host: string, kind: string): number {
    const k = this.budgets.get(kind)
    return k === undefined ? 0 : (this.addresses.get(host)?.held.get(k) ?? 0)
  }

  /** Remote addresses the book remembers now (connected, or with a bucket still refilling). */
  get addressCount (): number {
    return this.addresses.size
  }

  /** True while the process is short of memory (see {@link BudgetBookInit.overloaded}). */
  overloaded (): boolean {
    return this.init.overloaded?.() ?? false
  }

  /**
   * A budget for one new connection from `host`; `close()` it when the
   * connection closes. With `alone`, the connection is charged as if it were
   * an address of its own (for a trusted host many users share, such as a
   * WebSocket gateway); the global limits still apply.
   */
  peer (host: string, options: { alone?: boolean } = {}): ConnectionBudget {
    this.sweep()
    const key = options.alone === true ? `${host}#${this.alone++}` : host
    let entry = this.addresses.get(key)
    if (entry === undefined) {
      entry = { key, host, peers: 0, held: new Map(), buckets: new Map() }
      this.addresses.set(key, entry)
    }
    this.draining.delete(entry)
    entry.peers++
    return new ConnectionBudget(this, entry)
  }

  /** @internal */
  budgetKind (kind: string): BudgetKind {
    const k = this.budgets.get(kind)
    if (k === undefined) throw LumeError.invalidArgument(`no budget kind ${kind} is defined`)
    return k
  }

  /** @internal */
  rateKind (kind: string): RateKind {
    const k = this.rates.get(kind)
    if (k === undefined) throw LumeError.invalidArgument(`no rate kind ${kind} is defined`)
    return k
  }

  /** @internal A refusal: logged (throttled per kind and code) and returned to throw. */
  refuse (code: typeof ErrorCode.RATE_LIMITED | typeof ErrorCode.BUSY, kind: string, host: string, message: string): LumeError {
    this.refusals.warn(`${code}:${kind}`, { code, kind, host }, message)
    return new LumeError(code, message, { details: { kind } })
  }

  /** @internal The connection of `entry` closed: forget the address once nothing of it is left. */
  leave (entry: AddressEntry): void {
    entry.peers--
    if (entry.peers > 0) return
    if (this.isIdle(entry)) {
      this.addresses.delete(entry.key)
      return
    }
    this.draining.add(entry)
    // Bounded: past the cap the oldest address is forgotten (its bucket refills early, a small gift).
    if (this.draining.size > MAX_DRAINING) {
      const oldest = this.draining.values().next().value as AddressEntry
      this.draining.delete(oldest)
      this.addresses.delete(oldest.key)
    }
  }

  private isIdle (entry: AddressEntry): boolean {
    if (entry.held.size > 0) return false
    const now = this.now()
    for (const bucket of entry.buckets.values()) if (!bucket.isFull(now)) return false
    return true
  }

  // Drop drained addresses whose buckets have refilled: a few, oldest first, per new connection.
  private sweep (): void {
    let budget = 16
    for (const entry of this.draining) {
      if (budget-- === 0) return
      if (!this.isIdle(entry)) continue
      this.draining.delete(entry)
      this.addresses.delete(entry.key)
    }
  }
}

function definedOnly<T extends object> (value: T | undefined): Partial<T> {
  if (value === undefined) return {}
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

function checkLimit (name: string, value: unknown): void {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) throw new RangeError(`limits.${name} must be a non-negative number, got ${String(value)}`)
}
