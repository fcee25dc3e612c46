import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { PublishedPackage } from './publish.ts'
import { run } from './run.ts'

/** What an app installs besides our packages, exact as a user would pin them. */
export const APP_TOOLS: Record<string, string> = {
  typescript: '5.9.3',
  '@types/node': '20.19.43',
  // A browser app bundles with one of these, as they come (no config).
  esbuild: '0.28.2',
  vite: '8.3.8'
}

/**
 * A new npm project in `dir` (outside the workspace) that installs every
 * published package by name: `@lume/*` from the local registry (a scoped
 * registry line in the project's own .npmrc, as the README says), everything
 * else from npm.
 */
export async function createAppProject (dir: string, registryUrl: string, packages: readonly PublishedPackage[]): Promise<void> {
  await mkdir(join(dir, 'src'), { recursive: true })
  await writeFile(join(dir, '.npmrc'), `@lume:registry=${registryUrl}\n`)
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'lume-consumer-app', private: true, type: 'module' }, null, 2))
  const ours = packages.map((p) => `${p.name}@${p.version}`)
  const tools = Object.entries(APP_TOOLS).map(([name, version]) => `${name}@${version}`)
  // Node-only backends are optional peers: an app installs the ones it uses
  // (this one uses all, to type-check and run every entry point).
  const peers = [...new Set(packages.flatMap((p) => Object.entries(p.optionalPeers).map(([name, version]) => `${name}@${version}`)))]
  await run('npm', ['install', '--save-exact', '--no-audit', '--no-fund', '--loglevel=error', ...ours, ...tools, ...peers], { cwd: dir })
}
