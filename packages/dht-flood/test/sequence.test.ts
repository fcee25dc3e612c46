import { describe, expect, it } from 'vitest'
import { ClockSequence, sequenceTime } from '../src/index.js'

describe('ClockSequence', () => {
  it('keeps sub-millisecond precision, so a counter started in the same millisecond still goes higher', () => {
    const before = new ClockSequence().next(1_700_000_000_000.25)
    const after = new ClockSequence().next(1_700_000_000_000.5)
    expect(after).toBeGreaterThan(before)
    expect(sequenceTime(after)).toBe(1_700_000_000_000)
  })

  it('is strictly increasing even when the clock stands still or steps back', () => {
    const seq = new ClockSequence()
    const a = seq.next(1000)
    const b = seq.next(1000)
    const c = seq.next(999)
    expect([b - a, c - b]).toEqual([1, 1])
  })

  it('gives a fresh counter on the real clock a number above an earlier counter’s', async () => {
    const first = new ClockSequence().next()
    await new Promise((resolve) => setTimeout(resolve, 1))
    const second = new ClockSequence().next()
    expect(second).toBeGreaterThan(first)
    expect(Math.abs(sequenceTime(second) - Date.now())).toBeLessThan(60_000)
  })
})
