import { describe, expect, it } from 'vitest'
import { runDemo } from '../src/demo.js'

// The demo is what a newcomer runs first: it must work, and every check in it must pass.
describe('the demo', () => {
  it('runs 4 relay processes through every step with no failed check', async () => {
    const lines: string[] = []
    const failures = await runDemo({ relays: 4, print: (line) => lines.push(line) })
    expect(failures, lines.join('\n')).toBe(0)
    expect(lines.join('\n')).toMatch(/agreed by .* each answer signed over this request/)
    expect(lines.join('\n')).toMatch(/relay 3's subscriber got "feed head: post #1"/)
    expect(lines.join('\n')).toMatch(/HASH_MISMATCH at content offset \d+/)
    expect(lines.join('\n')).toMatch(/via dht, record signed/)
    expect(lines.join('\n')).toMatch(/heard it: relay 0 \(sender\), relay 1 once, relay 2 once, relay 3 once/)
  }, 60_000)
})
