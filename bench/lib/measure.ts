/** One measured contender: operations per second over a fixed time. */
export interface Result {
  name: string
  opsPerSec: number
}

/**
 * Run `fn` repeatedly for about `ms` milliseconds after a short warm-up and
 * report operations per second. Batches keep timer overhead out of the result.
 */
export function measure (name: string, fn: () => void, ms = 1000): Result {
  const deadline = (until: number): number => {
    let ops = 0
    while (performance.now() < until) {
      for (let i = 0; i < 64; i++) fn()
      ops += 64
    }
    return ops
  }
  deadline(performance.now() + ms / 5)
  const start = performance.now()
  const ops = deadline(start + ms)
  return { name, opsPerSec: ops / ((performance.now() - start) / 1000) }
}

/** Print results as a Markdown table with each row's ratio to the first (the baseline). */
export function printTable (title: string, results: Result[]): void {
  const base = results[0]?.opsPerSec ?? 1
  console.log(`\n### ${title}\n`)
  console.log('| contender | ops/s | vs baseline |')
  console.log('|---|---:|---:|')
  for (const r of results) {
    console.log(`| ${r.name} | ${Math.round(r.opsPerSec).toLocaleString('en-US')} | ${(r.opsPerSec / base).toFixed(2)}× |`)
  }
}
