import { describe, expect, it } from 'vitest'
import { generateKeyPair } from '@lume/crypto'
import { signEntry } from '../src/index.js'
import { Subscriptions } from '../src/lib/subscriptions.js'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('Subscriptions', () => {
  it('ends a waiting follow as soon as its signal aborts, and forgets it', async () => {
    const subs = new Subscriptions()
    const abort = new AbortController()
    const follow = subs.follow(signEntry(generateKeyPair(), 0, text('x')).pk, -1, async () => null, abort.signal)
    const waiting = follow.next()
    await new Promise((resolve) => setImmediate(resolve))
    expect(subs.size).toBe(1)
    abort.abort()
    expect(await waiting).toEqual({ done: true, value: undefined })
    expect(subs.size).toBe(0)
  })

  it('hands on the winner of an equal-revision conflict, never the loser after it', async () => {
    const subs = new Subscriptions()
    const alice = generateKeyPair()
    const a = signEntry(alice, 3, text('one'))
    const b = signEntry(alice, 3, text('two'))
    const [loser, winner] = Buffer.compare(Buffer.from(a.signature), Buffer.from(b.signature)) > 0 ? [b, a] : [a, b]
    const abort = new AbortController()
    const follow = subs.follow(a.pk, -1, async () => loser, abort.signal)
    expect((await follow.next()).value).toBe(loser)
    const next = follow.next()
    subs.publish(winner)
    expect((await next).value).toBe(winner)
    const after = follow.next()
    subs.publish(signEntry(alice, 4, text('four')))
    expect((await after).value?.revision).toBe(4)
    abort.abort()
    await follow.return(undefined)
  })

  it('does not miss a write that lands while the stored entry is read', async () => {
    const subs = new Subscriptions()
    const alice = generateKeyPair()
    const old = signEntry(alice, 1, text('old'))
    const fresh = signEntry(alice, 2, text('fresh'))
    const abort = new AbortController()
    // The read returns the old entry, but the new one is published while it runs.
    const follow = subs.follow(old.pk, -1, async () => { subs.publish(fresh); return old }, abort.signal)
    expect((await follow.next()).value).toBe(old)
    expect((await follow.next()).value).toBe(fresh)
    abort.abort()
    await follow.return(undefined)
  })
})
