import { ErrorCode, LumeError, TokenBucket, type PeerBudget } from '@lume/types'
import type { AddressEntry, BudgetBook, BudgetKind, RateKind } from './budget-book.js'

/**
 * One connection's {@link PeerBudget}, made by {@link BudgetBook.peer}.
 * Every unit it holds is also counted against its remote address and the
 * whole relay; {@link ConnectionBudget.close} gives all of it back at once,
 * so a handler or plugin that forgets a release path leaks nothing past
 * the connection.
 */
export class ConnectionBudget implements PeerBudget {
  private readonly held = new Map<BudgetKind, number>()
  private readonly buckets = new Map<RateKind, TokenBucket>()
  private closed = false

  /** @internal Use {@link BudgetBook.peer}. */
  constructor (private readonly book: BudgetBook, private readonly address: AddressEntry) {}

  get [Symbol.toStringTag] (): string {
    return 'ConnectionBudget'
  }

  /** The peer's remote address. */
  get remoteHost (): string {
    return this.address.host
  }

  /** Units of `kind` this connection holds now. */
  used (kind: string): number {
    return this.held.get(this.book.budgetKind(kind)) ?? 0
  }

  /** See {@link PeerBudget.hold}. Throws `CLOSED` once the connection has closed. */
  hold (kind: string, units = 1): () => void {
    const k = this.book.budgetKind(kind)
    if (!Number.isInteger(units) || units < 0) throw LumeError.invalidArgument(`units must be a non-negative integer, got ${units}`)
    if (this.closed) throw LumeError.closed('connection')
    const mine = this.held.get(k) ?? 0
    const host = this.address.host
    if (mine + units > k.limits.perPeer) {
      throw this.book.refuse(ErrorCode.RATE_LIMITED, kind, host, `too many ${kind} on this connection (limit ${k.limits.perPeer})`)
    }
    const theirs = this.address.held.get(k) ?? 0
    if (theirs + units > k.limits.perAddress) {
      throw this.book.refuse(ErrorCode.RATE_LIMITED, kind, host, `too many ${kind} from this address (limit ${k.limits.perAddress})`)
    }
    if (k.global + units > k.limits.global) {
      throw this.book.refuse(ErrorCode.BUSY, kind, host, `the relay holds its limit of ${kind} (${k.limits.global})`)
    }
    this.add(k, units)
    let released = false
    return () => {
      if (released || this.closed) return
      released = true
      this.add(k, -units)
    }
  }

  /** See {@link PeerBudget.spend}. */
  spend (kind: string, cost = 1): void {
    const k = this.book.rateKind(kind)
    if (!(cost >= 0)) throw LumeError.invalidArgument(`cost must be a non-negative number, got ${cost}`)
    if (this.closed) throw LumeError.closed('connection')
    const now = this.book.now()
    const mine = bucketOf(this.buckets, k, 'perPeer', now)
    const theirs = bucketOf(this.address.buckets, k, 'perAddress', now)
    // Check both before taking from either, so a refusal spends nothing.
    if (!mine.canTake(now, cost)) throw this.book.refuse(ErrorCode.RATE_LIMITED, kind, this.address.host, `${kind}: this connection is over its rate (${k.limits.perPeer.perSecond}/s)`)
    if (!theirs.canTake(now, cost)) throw this.book.refuse(ErrorCode.RATE_LIMITED, kind, this.address.host, `${kind}: this address is over its rate (${k.limits.perAddress.perSecond}/s)`)
    mine.take(now, cost)
    theirs.take(now, cost)
  }

  /** Release everything this connection holds and refuse anything more. Idempotent. */
  close (): void {
    if (this.closed) return
    for (const [k, units] of this.held) this.add(k, -units)
    this.closed = true
    this.book.leave(this.address)
  }

  private add (k: BudgetKind, units: number): void {
    const mine = (this.held.get(k) ?? 0) + units
    if (mine === 0) this.held.delete(k)
    else this.held.set(k, mine)
    const theirs = (this.address.held.get(k) ?? 0) + units
    if (theirs === 0) this.address.held.delete(k)
    else this.address.held.set(k, theirs)
    k.global += units
  }
}

function bucketOf (buckets: Map<RateKind, TokenBucket>, k: RateKind, scope: 'perPeer' | 'perAddress', now: number): TokenBucket {
  let bucket = buckets.get(k)
  if (bucket === undefined) {
    bucket = new TokenBucket(k.limits[scope].perSecond, k.limits[scope].burst, now)
    buckets.set(k, bucket)
  }
  return bucket
}
