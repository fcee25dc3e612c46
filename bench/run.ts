// Runs every *.bench.ts here in turn and prints Markdown tables for docs/benchmarks.md.
import { readdirSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'

const only = process.argv[2]
const files = readdirSync(import.meta.dirname).filter((f) => f.endsWith('.bench.ts') && (only === undefined || f.includes(only))).sort()
const cpu = cpus()[0]?.model ?? 'unknown CPU'
console.log(`Lume benchmarks — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB`)
// The machine may be shared: each table says how busy it was (1-minute load average, before and after).
const load = (): string => loadavg()[0]!.toFixed(1)
for (const file of files) {
  console.log(`\n## ${file.replace('.bench.ts', '')}`)
  const before = load()
  const started = performance.now()
  await import(`./${file}`)
  console.log(`\n(${file}: load average ${before} before, ${load()} after; ${((performance.now() - started) / 1000).toFixed(0)} s)`)
}
