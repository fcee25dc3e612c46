import { describe, expect, it } from 'vitest'
import type { SignedAnswer } from '@lume/types'
import { QuorumTally } from '../src/index.js'

const relay = (n: number): Uint8Array => new Uint8Array(32).fill(n)
const vote = (n: number, key: string) => ({ relay: relay(n), ok: true as const, key, answer: {} as SignedAnswer })

describe('QuorumTally', () => {
  it('groups by key, counts each relay once, and reports the split', () => {
    const t = new QuorumTally(3)
    t.add(vote(1, 'a')); t.add(vote(2, 'a')); t.add(vote(2, 'a')); t.add(vote(3, 'b'))
    expect(t.winner()).toBeNull()
    expect(t.split()).toEqual([2, 1])
    t.add({ relay: relay(4), ok: false, error: { code: 'TIMEOUT', message: 'slow' } })
    expect(t.all()).toHaveLength(4)
    t.add(vote(5, 'a'))
    expect(t.winner()?.map((v) => v.relay[0])).toEqual([1, 2, 5])
  })

  it('knows when agreement has become impossible', () => {
    const t = new QuorumTally(4)
    t.add(vote(1, 'a')); t.add(vote(2, 'b')); t.add(vote(3, 'c'))
    expect(t.stillPossible(3)).toBe(true)
    expect(t.stillPossible(2)).toBe(false)
  })
})
