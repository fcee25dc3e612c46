#!/usr/bin/env node
// A release rehearsal in a throwaway clone: version the packages from the
// pending changesets, then publish nothing (`pnpm -r publish --dry-run`).
// The working tree here is never touched.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const dir = mkdtempSync(join(tmpdir(), 'lume-release-'))
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' }
const run = (cmd, args, cwd = dir) => {
  console.log(`release-dry-run: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env })
  if (r.status !== 0) { rmSync(dir, { recursive: true, force: true }); process.exit(r.status ?? 1) }
}
try {
  run('git', ['clone', '--quiet', root, dir], root)
  run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline', '--reporter=silent'])
  run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'])
  run('pnpm', ['changeset', 'version'])
  run('pnpm', ['-r', 'publish', '--dry-run', '--no-git-checks'])
  console.log('release-dry-run: ok (nothing was published)')
} finally {
  rmSync(dir, { recursive: true, force: true })
}
