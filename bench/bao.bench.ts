// @lume/bao-stream against blake3-wasm 2.x hashing (the baseline) and b3sum
// (native, where installed), on the same inputs, in MB/s.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BaoDecoder, encode, hash, outboard } from '@lume/bao-stream'

const require = createRequire(import.meta.url)
const wasm = (require('blake3-wasm') as { hash: (data: Uint8Array) => Uint8Array }).hash

const MB = 1e6
const ROUNDS = 3
const PIECE = 64 * 1024

function input (size: number): Uint8Array {
  const out = new Uint8Array(size)
  let x = 1
  for (let i = 0; i < size; i += 4) { x = (x * 1103515245 + 12345) >>> 0; out[i] = x; out[i + 1] = x >>> 8; out[i + 2] = x >>> 16; out[i + 3] = x >>> 24 }
  return out
}

/** Run `fn` repeatedly for at least `ms`; returns MB/s over that time. */
function rate (bytes: number, fn: () => void, ms: number): number {
  const start = performance.now()
  let runs = 0
  do { fn(); runs++ } while (performance.now() - start < ms)
  return (bytes * runs) / MB / ((performance.now() - start) / 1000)
}

/** Best MB/s over ROUNDS timed rounds of ≥ 250 ms each, after a 300 ms warm-up (the JIT sees the path first). */
function best (bytes: number, fn: () => void): number {
  rate(bytes, fn, 300)
  let top = 0
  for (let r = 0; r < ROUNDS; r++) top = Math.max(top, rate(bytes, fn, 250))
  return top
}

function streamDecode (encoded: Uint8Array, root: Uint8Array, k: number): void {
  const decoder = new BaoDecoder(root, { k })
  for (let at = 0; at < encoded.length; at += PIECE) decoder.push(encoded.subarray(at, at + PIECE))
  decoder.finish()
}

const b3sum = spawnSync('sh', ['-c', 'command -v b3sum'], { encoding: 'utf8' }).stdout.trim()
const dir = mkdtempSync(join(tmpdir(), 'lume-bao-bench-'))

for (const size of [1 << 20, 64 << 20]) {
  const data = input(size)
  if (Buffer.from(wasm(data)).toString('hex') !== Buffer.from(hash(data)).toString('hex')) throw new Error('hashes disagree: the benchmark would compare different work')
  const enc0 = encode(data, { k: 0 })
  const enc4 = encode(data, { k: 4 })
  wasm(data); hash(data) // warm both up
  const rows: Array<[string, number]> = [
    ['blake3-wasm 2.1.5 hash (baseline)', best(size, () => wasm(data))],
    ['@lume/bao-stream hash', best(size, () => hash(data))],
    ['@lume/bao-stream outboard k=0', best(size, () => outboard(data, { k: 0 }))],
    ['@lume/bao-stream outboard k=4', best(size, () => outboard(data, { k: 4 }))],
    ['@lume/bao-stream streaming decode k=0 (64 KiB pieces)', best(size, () => streamDecode(enc0.bytes, enc0.hash, 0))],
    ['@lume/bao-stream streaming decode k=4 (64 KiB pieces)', best(size, () => streamDecode(enc4.bytes, enc4.hash, 4))]
  ]
  if (b3sum !== '') {
    const file = join(dir, 'input')
    writeFileSync(file, data)
    rows.push(['b3sum (native, whole process incl. start-up)', best(size, () => { spawnSync(b3sum, [file]) })])
  }
  const base = rows[0]![1]
  console.log(`\n### ${size >> 20} MiB input (best of ${ROUNDS})\n`)
  console.log('| contender | MB/s | vs baseline |')
  console.log('|---|---:|---:|')
  for (const [name, rate] of rows) console.log(`| ${name} | ${rate.toFixed(0)} | ${(rate / base).toFixed(2)}× |`)
}
rmSync(dir, { recursive: true, force: true })
