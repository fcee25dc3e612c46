#!/usr/bin/env node
// The one entry behind the README's commands: bootstraps a fresh machine
// (pinned pnpm, dependencies, builds, Debian packages the tests use), then
// runs the task. Plain Node on purpose: it must work before anything is installed.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const pnpmVersion = pkg.packageManager.replace(/^pnpm@/, '').replace(/\+.*$/, '')
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', TURBO_NO_UPDATE_NOTIFIER: '1' }

/** Repository-wide checks beside the tests: the linter/formatter and the dead-code check. */
const CHECKS = {
  lint: ['pnpm', 'exec', 'eslint', '.'],
  'dead code': ['pnpm', 'exec', 'knip', '--no-progress', '--no-config-hints'],
  // The API site builds with no warnings: every exported shape documented, every entry point paged.
  'API docs': ['pnpm', 'run', 'docs', '--logLevel', 'Warn']
}

const tasks = {
  /** Install everything, build every package, run the whole test suite. */
  test: () => {
    ensureSystemPackages()
    prepare()
    const reportDir = join(root, '.reports')
    rmSync(reportDir, { recursive: true, force: true })
    const status = runStatus('pnpm', ['exec', 'turbo', 'run', 'test', 'typecheck', '--concurrency=2', '--continue', ...rest()],
      { ...env, LUME_TEST_REPORT_DIR: reportDir })
    // The linter and formatter (ESLint, neostandard), the dead-code check (knip) and the API docs build count as one check each.
    const checks = Object.entries(CHECKS).map(([name, [cmd, ...args]]) => {
      console.log(`lume: ${name}…`)
      return { name, ok: runStatus(cmd, args) === 0 }
    })
    printSummary(reportDir, checks)
    process.exit(status !== 0 ? status : checks.every((c) => c.ok) ? 0 : 1)
  },
  /** The linter and the dead-code check alone. */
  lint: () => {
    prepare()
    const failed = Object.values(CHECKS).filter(([cmd, ...args]) => runStatus(cmd, args) !== 0)
    process.exit(failed.length === 0 ? 0 : 1)
  },
  /** Install, build, and run the local testnet demo. */
  demo: () => {
    prepare()
    run('node', [join(root, 'examples/demo/dist/cli.js'), ...rest()])
  },
  /** Install, build, and run the benchmarks. */
  bench: () => {
    prepare()
    run('pnpm', ['--filter', '@lume/bench', 'run', 'bench', ...rest()])
  },
  /** Only install and build. */
  bootstrap: () => prepare(),
  /**
   * Every package's fuzz file with a long run (LUME_FUZZ_RUNS, default 100 000
   * per property) against the sources: no build needed. Extra args go to vitest.
   */
  fuzz: () => {
    const runs = process.env.LUME_FUZZ_RUNS ?? '100000'
    console.log(`lume: fuzzing with ${runs} runs per property`)
    run('pnpm', ['exec', 'vitest', 'run', '--testTimeout=3600000', ...rest(), 'fuzz.test'], { ...env, LUME_FUZZ_RUNS: runs })
  }
}

const task = tasks[process.argv[2]]
if (!task) {
  console.error(`usage: node scripts/lume.mjs <${Object.keys(tasks).join('|')}> [args]`)
  process.exit(2)
}
task()

function rest () {
  return process.argv.slice(3)
}

function prepare () {
  ensurePnpm()
  step('installing dependencies', () => run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline', '--reporter=silent']))
  step('building packages', () => run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']))
  // pnpm links a package's programs (lume-relay, ...) only when their file
  // exists; on a fresh clone that is after the build, so link once more.
  step('linking programs', () => run('pnpm', ['install', '--frozen-lockfile', '--offline', '--reporter=silent']))
}

function ensurePnpm () {
  const found = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env })
  if (found.status === 0 && found.stdout.trim() === pnpmVersion) return
  step(`installing pnpm ${pnpmVersion}`, () => run('npm', ['install', '--global', `pnpm@${pnpmVersion}`, '--no-fund', '--no-audit']))
}

/**
 * Debian packages whose programs the tests start for real (redis-server, an
 * IRC server, chromium): installed only when the program is missing.
 */
function ensureSystemPackages () {
  const wanted = JSON.parse(readFileSync(join(root, 'scripts/system-packages.json'), 'utf8'))
  const missing = Object.entries(wanted.packages)
    .filter(([, program]) => !onPath(program))
    .map(([name]) => name)
  if (missing.length === 0) return
  const sudo = process.getuid?.() === 0 ? [] : ['sudo']
  if (sudo.length && !onPath('sudo')) fail(`missing Debian packages: ${missing.join(' ')} (run as root or install them)`)
  step(`installing Debian packages: ${missing.join(' ')}`, () => {
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' }
    run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'update', '-qq'], aptEnv)
    run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'install', '-y', '-qq', '--no-install-recommends', ...missing], aptEnv)
  })
}

function onPath (program) {
  if (program.startsWith('/')) return existsSync(program)
  return spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0
}

function step (what, fn) {
  const started = Date.now()
  console.log(`lume: ${what}…`)
  fn()
  console.log(`lume: ${what} done (${((Date.now() - started) / 1000).toFixed(1)} s)`)
}

function run (cmd, args, runEnv = env) {
  const status = runStatus(cmd, args, runEnv)
  if (status !== 0) process.exit(status)
}

function runStatus (cmd, args, runEnv = env) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: runEnv })
  if (result.error) fail(`${cmd}: ${result.error.message}`)
  return result.status ?? 1
}

/**
 * One closing line over every package's vitest JSON report. A suite that
 * failed to load (no test ran in it) counts as one failed test, and so does a
 * package with a test script that wrote no report at all (its runner crashed).
 */
function printSummary (reportDir, checks = []) {
  const totals = { passed: 0, failed: 0, skipped: 0, packages: 0 }
  for (const check of checks) {
    if (check.ok) totals.passed++
    else { totals.failed++; console.log(`lume: ${check.name} failed (see above)`) }
  }
  const reports = new Map()
  if (existsSync(reportDir)) {
    for (const file of readdirSync(reportDir).filter((f) => f.endsWith('.json'))) {
      reports.set(file.slice(0, -'.json'.length), JSON.parse(readFileSync(join(reportDir, file), 'utf8')))
    }
  }
  for (const [name, report] of reports) {
    totals.passed += report.numPassedTests
    totals.failed += report.numFailedTests
    totals.skipped += report.numPendingTests + (report.numTodoTests ?? 0)
    totals.packages++
    for (const suite of report.testResults ?? []) {
      const ranNothing = suite.status === 'failed' && !(suite.assertionResults ?? []).some((a) => a.status === 'failed')
      if (!ranNothing) continue
      totals.failed++
      console.log(`lume: ${name}: suite failed to load: ${suite.name}${suite.message ? `\n  ${suite.message.split('\n')[0]}` : ''}`)
    }
  }
  for (const name of testedProjects()) {
    if (reports.has(name)) continue
    totals.failed++
    console.log(`lume: ${name}: no test report (its test run did not finish)`)
  }
  console.log(`lume: ${totals.packages} packages tested`)
  console.log(`tests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`)
}

/** Report names (vitest project names) of every workspace project with a test script. */
function testedProjects () {
  const names = []
  for (const dir of workspaceDirs()) {
    const file = join(root, dir, 'vitest.config.ts')
    if (!existsSync(file) || !existsSync(join(root, dir, 'package.json'))) continue
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))
    if (manifest.scripts?.test === undefined) continue
    const named = /projectConfig\(\s*['"]([^'"]+)['"]/.exec(readFileSync(file, 'utf8'))
    if (named) names.push(named[1])
  }
  return names
}

/** The project directories pnpm-workspace.yaml lists (`dir` or `dir/*`). */
function workspaceDirs () {
  const text = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')
  const list = text.slice(text.indexOf('packages:')).split('\n').slice(1)
  const dirs = []
  for (const line of list) {
    const entry = /^\s+-\s+['"]?([^'"\s]+)['"]?\s*$/.exec(line)
    if (entry === null) { if (/^\S/.test(line)) break; continue }
    const pattern = entry[1]
    if (!pattern.endsWith('/*')) { dirs.push(pattern); continue }
    const parent = pattern.slice(0, -2)
    if (existsSync(join(root, parent))) dirs.push(...readdirSync(join(root, parent)).map((d) => join(parent, d)))
  }
  return dirs
}

function fail (message) {
  console.error(`lume: ${message}`)
  process.exit(1)
}
