import { describe, expect, it } from 'vitest'
import { ErrorCode } from '@lume/types'
import { BudgetBook } from '../src/internal.js'
import { recordingLogger } from './helpers.js'

const subs = { perPeer: 2, perAddress: 3, global: 4 }

describe('BudgetBook', () => {
  it('charges each unit to the peer, its address and the relay, and answers RATE_LIMITED / BUSY past them', () => {
    const logger = recordingLogger()
    const book = new BudgetBook({ logger })
    book.defineBudget('test.subs', subs)
    const a1 = book.peer('10.0.0.1')
    const a2 = book.peer('10.0.0.1')
    const b = book.peer('10.0.0.2')
    a1.hold('test.subs')
    a1.hold('test.subs')
    expect(() => a1.hold('test.subs')).toThrow(expect.objectContaining({ code: ErrorCode.RATE_LIMITED }))
    a2.hold('test.subs')
    // A second key from the same address shares the address's share.
    expect(() => a2.hold('test.subs')).toThrow(expect.objectContaining({ code: ErrorCode.RATE_LIMITED }))
    const release = b.hold('test.subs')
    expect(() => b.hold('test.subs')).toThrow(expect.objectContaining({ code: ErrorCode.BUSY }))
    expect(book.used('test.subs')).toBe(4)
    release()
    release() // twice is once
    expect(book.used('test.subs')).toBe(3)
    // Refusals are logged once per kind and code, not once per attempt.
    for (let i = 0; i < 100; i++) expect(() => a1.hold('test.subs')).toThrow()
    expect(logger.lines.filter((l) => l.fields.kind === 'test.subs' && l.fields.code === ErrorCode.RATE_LIMITED)).toHaveLength(1)
  })

  it('releases everything a connection held when it closes, and forgets the address', () => {
    const book = new BudgetBook()
    book.defineBudget('test.subs', subs)
    const peer = book.peer('10.0.0.1')
    peer.hold('test.subs', 2)
    const late = peer.hold('test.subs', 0)
    expect(book.usedBy('10.0.0.1', 'test.subs')).toBe(2)
    peer.close()
    late() // a release after close changes nothing
    expect(book.used('test.subs')).toBe(0)
    expect(book.addressCount).toBe(0)
    expect(() => peer.hold('test.subs')).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }))
    // A new connection from the same address starts clean.
    book.peer('10.0.0.1').hold('test.subs', 2)
  })

  it('spends rates per peer and per address; a refused spend takes nothing', () => {
    let now = 0
    const book = new BudgetBook({ now: () => now })
    book.defineRate('test.puts', { perPeer: { perSecond: 1, burst: 2 }, perAddress: { perSecond: 1, burst: 3 } })
    const a1 = book.peer('10.0.0.1')
    const a2 = book.peer('10.0.0.1')
    a1.spend('test.puts')
    a1.spend('test.puts')
    expect(() => a1.spend('test.puts')).toThrow(expect.objectContaining({ code: ErrorCode.RATE_LIMITED }))
    a2.spend('test.puts')
    expect(() => a2.spend('test.puts')).toThrow(expect.objectContaining({ code: ErrorCode.RATE_LIMITED }))
    now += 1000
    // The address refilled one token; a2's own bucket was not drained by the refusal.
    a2.spend('test.puts')
    expect(() => a2.spend('test.puts')).toThrow(expect.objectContaining({ code: ErrorCode.RATE_LIMITED }))
  })

  it('remembers an address that left with an empty bucket until it refills, then forgets it', () => {
    let now = 0
    const book = new BudgetBook({ now: () => now })
    book.defineRate('test.puts', { perPeer: { perSecond: 1, burst: 1 }, perAddress: { perSecond: 1, burst: 1 } })
    const first = book.peer('10.0.0.1')
    first.spend('test.puts')
    first.close()
    // Reconnecting does not refill the address's bucket.
    const second = book.peer('10.0.0.1')
    expect(() => second.spend('test.puts')).toThrow(expect.objectContaining({ code: ErrorCode.RATE_LIMITED }))
    second.close()
    expect(book.addressCount).toBe(1)
    now += 5000
    book.peer('10.0.0.9').close()
    expect(book.addressCount).toBe(0)
  })

  it('charges a connection alone when asked (a trusted shared address), globally all the same', () => {
    const book = new BudgetBook()
    book.defineBudget('test.subs', subs)
    const peers = [book.peer('127.0.0.1', { alone: true }), book.peer('127.0.0.1', { alone: true })]
    for (const peer of peers) peer.hold('test.subs', 2) // 4 from one host: over its perAddress of 3, but each is alone
    expect(() => book.peer('127.0.0.1', { alone: true }).hold('test.subs')).toThrow(expect.objectContaining({ code: ErrorCode.BUSY }))
    for (const peer of peers) peer.close()
    expect(book.addressCount).toBe(1) // the third, still open
  })

  it('applies operator overrides over defaults and refuses unknown or duplicate kinds', () => {
    const book = new BudgetBook({ budgets: { 'test.subs': { perPeer: 1 } }, rates: { 'test.puts': { perAddress: { burst: 9 } } } })
    book.defineBudget('test.subs', subs)
    expect(book.budgetLimits('test.subs')).toEqual({ perPeer: 1, perAddress: 3, global: 4 })
    expect(() => book.defineBudget('test.subs', subs)).toThrow(expect.objectContaining({ code: ErrorCode.ALREADY_REGISTERED }))
    book.defineRate('test.puts', { perPeer: { perSecond: 1, burst: 1 }, perAddress: { perSecond: 1, burst: 1 } })
    expect(() => book.defineRate('test.puts', { perPeer: { perSecond: 1, burst: 1 }, perAddress: { perSecond: 1, burst: 1 } })).toThrow(expect.objectContaining({ code: ErrorCode.ALREADY_REGISTERED }))
    const peer = book.peer('10.0.0.1')
    expect(() => peer.hold('nope')).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }))
    expect(() => peer.spend('nope')).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }))
    expect(() => new BudgetBook({ budgets: { 'rpc.calls': { perPeer: -1 } } })).toThrow(RangeError)
  })
})
