import { describe, expect, it } from 'vitest'
import { runDemo } from '../src/demo.js'

// The demo is what a newcomer runs first: it must work, and every check in it must pass.
describe('the demo', () => {
  it('runs 4 `lume-relay start` processes from YAML through every step with no failed check', async () => {
    const lines: string[] = []
    const failures = await runDemo({ relays: 4, print: (line) => lines.push(line) })
    const out = lines.join('\n')
    expect(failures, out).toBe(0)
    expect(out).toMatch(/4 `lume-relay start` processes \(examples\/demo\/relay\.yaml\) up in/)
    // 1. the ring
    for (const [from, to] of [[0, 1], [1, 2], [2, 3], [3, 0]]) expect(out).toMatch(new RegExp(`relay ${from} → relay ${to} {2}\\d+\\.\\d ms`))
    // 2. discovery from a key alone, on the DHT, for every relay
    expect(out.match(/ → dht via dht, record signed/g)).toHaveLength(4)
    // 3. every relay serves the plugins the YAML enabled (and the demo's methods)
    expect(out.match(/\d+ methods {2}rtt/g)).toHaveLength(4)
    // 4. the quorum outvotes the liar
    expect(out).toMatch(/agreed by .* each answer signed over this request/)
    expect(out).toMatch(/asked alone, relay 1 says the answer is 666 — the quorum was not fooled/)
    // 5. the registry write reaches a subscriber two hops away, and relay 2
    expect(out).toMatch(/relay 3's subscriber got "feed head: post #1"/)
    expect(out).toMatch(/relay 2 has it too: revision \d+, signature verified by the client/)
    // 6. the cached answer is served by relay 2 with relay 0's signature, not recomputed
    expect(out).toMatch(/relay 2 computed it 0 times/)
    // 7. Bao verification
    expect(out).toMatch(/1048576 bytes verified, ok/)
    expect(out).toMatch(/HASH_MISMATCH at content offset \d+/)
    // 8. gossip around the ring, once each
    expect(out).toMatch(/heard it: relay 0 \(sender\), relay 1 once, relay 2 once, relay 3 once/)
    // 9. the stats come from the relays' own plugins (LMDB registry, cache, flood)
    expect(out.match(/relay \d: 1 registry keys, [1-9]\d* cached answers, \d+ fortunes computed, flood [1-9]\d* delivered/g)).toHaveLength(4)
    // and every relay shut down cleanly on SIGTERM
    expect(out).toMatch(/4 relays stopped on SIGTERM, exit codes 0, 0, 0, 0; their temporary directories removed/)
  }, 60_000)
})
