import { describe, expect, it } from 'vitest'
import { Timeline } from '../src/lib/timeline.js'
import { RecentErrors } from '../src/lib/recent-errors.js'

describe('Timeline: calls per wall-clock second', () => {
  it('keeps idle seconds as zeros, so "the last N seconds" are the last N seconds of the clock', () => {
    let now = 1_000_000_500
    const timeline = new Timeline(300, () => now)
    timeline.record(true, 2)
    timeline.record(false, 4)
    now += 5000 // five seconds without a call
    timeline.record(true, 1)
    const last = timeline.last(10)
    expect(last).toHaveLength(10)
    expect(last.map((s) => s.t)).toEqual(Array.from({ length: 10 }, (_, i) => 1_000_005 - 9 + i))
    expect(last.map((s) => [s.ok, s.errors])).toEqual([[0, 0], [0, 0], [0, 0], [0, 0], [1, 1], [0, 0], [0, 0], [0, 0], [0, 0], [1, 0]])
    expect(last[4]).toMatchObject({ totalMs: 6, maxMs: 4 })
  })

  it('forgets a second once the ring comes round to it again, and reads zeros for it', () => {
    let now = 0
    const timeline = new Timeline(3, () => now)
    timeline.record(true, 1)
    now = 3000 // the same slot, three seconds later
    expect(timeline.last(3).map((s) => s.ok)).toEqual([0, 0, 0])
    timeline.record(false, 1)
    expect(timeline.last(3).map((s) => [s.t, s.ok, s.errors])).toEqual([[1, 0, 0], [2, 0, 0], [3, 0, 1]])
  })
})

describe('RecentErrors', () => {
  it('holds a fixed number, newest last, whatever arrives', () => {
    const errors = new RecentErrors(3)
    for (let i = 0; i < 1000; i++) errors.add({ at: i, method: `m${i}`, code: 'BAD_FRAME' })
    expect(errors.all().map((e) => e.method)).toEqual(['m997', 'm998', 'm999'])
  })
})
