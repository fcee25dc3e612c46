// `pnpm --filter @lume/consumer-test run registry`: publish the built workspace
// to a verdaccio on loopback, as the consumer test does, and keep it running so
// an app can `npm install` our packages before (or between) releases. Ctrl-C stops it.
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startLocalRegistry } from '../test/lib/local-registry.ts'
import { publishWorkspace } from '../test/lib/publish.ts'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const work = await mkdtemp(join(tmpdir(), 'lume-registry-'))
for (const dir of ['registry', 'stage']) await mkdir(join(work, dir))
const registry = await startLocalRegistry(join(work, 'registry'))
const version = `0.0.0-snapshot-${Date.now()}`
const published = await publishWorkspace(root, join(work, 'stage'), registry, version)
console.log(`published ${published.length} packages as ${version} to ${registry.url} (storage in ${work})`)
console.log('\nin your app:')
console.log(`  echo "@lume:registry=${registry.url}" >> .npmrc`)
console.log(`  npm install ${published.filter((p) => p.name !== '@lume/testnet').map((p) => `${p.name}@${version}`).join(' ')}`)
console.log('\nCtrl-C stops the registry.')
process.once('SIGINT', () => {
  void registry.close().then(async () => { await rm(work, { recursive: true, force: true }) }).then(() => process.exit(0))
})
