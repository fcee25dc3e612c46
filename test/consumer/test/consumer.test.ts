import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, serveDirectory } from '../../../scripts/test-helpers/chromium.ts'
import { createAppProject } from './lib/app-project.ts'
import { startLocalRegistry, type LocalRegistry } from './lib/local-registry.ts'
import { publishWorkspace, type PublishedPackage } from './lib/publish.ts'
import { run } from './lib/run.ts'
import { bundlerConfig, node16Config } from './lib/tsconfigs.ts'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const bin = (name: string): string => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url))

/** The getting-started snippets and what each prints (docs/guides/getting-started.md). */
const SNIPPETS: Record<string, RegExp> = {
  // The README's "Install in your app" (test/consumer/fixtures).
  'own-dht-node': /^hello, app$/,
  'first-relay': /^hello, world — signed by [0-9a-f]{8}$/,
  quorum: /^2026, agreed by [345] relays$/,
  registry: /^revision 0: my feed head$/,
  bao: /^31000 bytes verified against [0-9a-f]{12}…$/
}

/** Node-only packages (native addons, TCP, the DHT): never in a browser bundle. */
const NODE_ONLY = ['lmdb', 'ioredis', 'irc-framework', 'ws', 'sodium-native', 'hyperdht', 'udx-native']

describe('the packages as an app installs them from a registry', () => {
  let work: string
  let registry: LocalRegistry | undefined
  let published: PublishedPackage[] = []
  let app: string
  let browser: Browser | undefined

  // Publish once, install once; every test below looks at the result.
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'lume-consumer-'))
    for (const dir of ['registry', 'stage', 'app']) await mkdir(join(work, dir))
    app = join(work, 'app')
    registry = await startLocalRegistry(join(work, 'registry'))
    published = await publishWorkspace(root, join(work, 'stage'), registry, `0.0.0-snapshot-${Date.now()}`)
    await createAppProject(app, registry.url, published)
    for (const name of Object.keys(SNIPPETS)) {
      const from = name === 'own-dht-node' ? join(root, 'test/consumer/fixtures') : join(root, 'docs/snippets')
      await copyFile(join(from, `${name}.ts`), join(app, 'src', `${name}.ts`))
    }
    await writeFile(join(app, 'src', 'every-entry.ts'), everyEntryImport(published))
  })

  afterAll(async () => {
    await browser?.close()
    await registry?.close()
    if (work !== undefined) await rm(work, { recursive: true, force: true })
  })

  it('publishes every workspace package', async () => {
    const dirs = await readdir(join(root, 'packages'))
    expect(published.map((p) => p.name).sort()).toEqual(dirs.map((d) => `@lume/${d}`).sort())
  })

  it('passes publint (warnings are errors) and arethetypeswrong for every tarball', async () => {
    for (const { tarball } of published) {
      await run(bin('publint'), ['run', tarball, '--strict'], { cwd: work })
      // ESM only by design: CommonJS require() of our packages is not supported.
      await run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], { cwd: work })
    }
  })

  it('type-checks every entry point and the snippets with skipLibCheck off, node16 resolution', async () => {
    await writeFile(join(app, 'tsconfig.json'), JSON.stringify(node16Config))
    await run(join(app, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: app })
  })

  it('type-checks the same with bundler resolution', async () => {
    await writeFile(join(app, 'tsconfig.bundler.json'), JSON.stringify(bundlerConfig))
    await run(join(app, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.bundler.json'], { cwd: app })
  })

  it('runs the getting-started snippets with plain node', async () => {
    await writeFile(join(app, 'tsconfig.json'), JSON.stringify(node16Config))
    await run(join(app, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: app })
    for (const [name, printed] of Object.entries(SNIPPETS)) {
      const { stdout } = await run(process.execPath, [join(app, 'out', `${name}.js`)], { cwd: app })
      expect(stdout.trim(), name).toMatch(printed)
    }
  })

  it('a Node-only entry point whose optional peer is missing says which package to install', async () => {
    const probe = "import('@lume/registry/lmdb').then(() => console.log('loaded'), (e) => console.log(e.code, e.message))"
    const lmdb = join(app, 'node_modules/lmdb')
    await rename(lmdb, `${lmdb}.away`)
    try {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', probe], { cwd: app })
      expect(stdout.trim()).toMatch(/^MISSING_DEPENDENCY @lume\/registry\/lmdb needs the package "lmdb"/)
    } finally {
      await rename(`${lmdb}.away`, lmdb)
    }
  })

  it('bundles a page with plain esbuild and plain Vite, and both run in Chromium', async () => {
    const page = join(app, 'page')
    await mkdir(page)
    for (const file of ['index.html', 'main.ts']) await copyFile(join(root, 'test/consumer/fixtures/page', file), join(page, file))
    const esbuildOut = join(app, 'web-esbuild')
    await run(join(app, 'node_modules/.bin/esbuild'), ['page/main.ts', '--bundle', '--format=esm', '--platform=browser', `--outdir=${esbuildOut}`], { cwd: app })
    await writeFile(join(esbuildOut, 'index.html'), '<!doctype html><meta charset="utf-8"><body><script type="module" src="./main.js"></script></body>')
    const viteOut = join(app, 'web-vite')
    await run(join(app, 'node_modules/.bin/vite'), ['build', 'page', '--outDir', viteOut, '--emptyOutDir', '--logLevel', 'warn'], { cwd: app })

    browser = await launchChromium()
    for (const dir of [esbuildOut, viteOut]) {
      const http = await serveDirectory(dir)
      const tab = await browser.newPage()
      try {
        await tab.goto(http.url)
        const result = await tab.waitForFunction(() => document.body.dataset.result)
        expect(await result.jsonValue(), dir).toBe('ok 64 50000 true')
      } finally {
        await tab.close()
        http.close()
      }
    }
  })

  it('bundles the browser example\'s page with plain esbuild and Vite, and it reaches a relay over WebSocket', async () => {
    const page = join(app, 'example-page')
    await mkdir(page)
    for (const file of ['index.html', 'main.ts']) await copyFile(join(root, 'examples/browser/page', file), join(page, file))
    await copyFile(join(root, 'test/consumer/fixtures/relay.mjs'), join(app, 'relay.mjs'))
    const esbuildOut = join(app, 'example-esbuild')
    const meta = join(app, 'example-meta.json')
    await run(join(app, 'node_modules/.bin/esbuild'), ['example-page/main.ts', '--bundle', '--format=esm', '--platform=browser', `--outdir=${esbuildOut}`, `--metafile=${meta}`], { cwd: app })
    // Installed or not, no Node-only backend may reach a page: the app has them all installed here.
    const inputs = Object.keys((JSON.parse(await readFile(meta, 'utf8')) as { inputs: Record<string, unknown> }).inputs)
    expect(inputs.some((i) => i.includes('node_modules/@lume/registry/')), 'the page uses @lume/registry').toBe(true)
    expect(inputs.filter((i) => NODE_ONLY.some((name) => i.includes(`node_modules/${name}/`)))).toEqual([])
    await writeFile(join(esbuildOut, 'index.html'), (await readFile(join(page, 'index.html'), 'utf8')).replace('./main.ts', './main.js'))
    const viteOut = join(app, 'example-vite')
    await run(join(app, 'node_modules/.bin/vite'), ['build', 'example-page', '--outDir', viteOut, '--emptyOutDir', '--logLevel', 'warn'], { cwd: app })

    // The relay, from the installed packages too, in its own process.
    const relayProcess = spawn(process.execPath, ['relay.mjs'], { cwd: app, stdio: ['pipe', 'pipe', 'inherit'] })
    try {
      const [line] = await once(relayProcess.stdout, 'data') as [Buffer]
      const relay = JSON.parse(line.toString()) as { key: string, ws: string }
      browser ??= await launchChromium()
      for (const dir of [esbuildOut, viteOut]) {
        const http = await serveDirectory(dir)
        const tab = await browser.newPage()
        const errors: string[] = []
        tab.on('pageerror', (e) => errors.push(String(e)))
        try {
          await tab.goto(`${http.url}/?${new URLSearchParams({ relays: `${relay.key}@${relay.ws}`, quorum: '1' }).toString()}`)
          await tab.waitForFunction(() => ['done', 'failed'].some((s) => document.getElementById('status')?.textContent?.startsWith(s) === true))
          expect(errors, dir).toEqual([])
          expect(await tab.locator('#status').innerText(), dir).toBe('done')
          expect(await tab.locator('#connection').innerText(), dir).toBe('1 of 1 relays reached over WebSocket, each proving its key')
          expect(await tab.locator('#quorum').innerText(), dir).toMatch(new RegExp(`^"from a browser": the answer is \\d+ — signed by ${relay.key.slice(0, 6)}$`))
        } finally {
          await tab.close()
          http.close()
        }
      }
    } finally {
      relayProcess.stdin.end()
      await once(relayProcess, 'exit')
    }
  })

  it('installs exactly one hyperdht, the version @lume/dht pins', async () => {
    const { stdout } = await run('npm', ['query', '#hyperdht'], { cwd: app })
    const copies = (JSON.parse(stdout) as Array<{ version: string }>).map((n) => n.version)
    expect(copies).toEqual(['6.32.0'])
  })
})

/** A source file that imports the types of every entry point of every package. */
function everyEntryImport (packages: readonly PublishedPackage[]): string {
  const lines: string[] = []
  for (const { name, exports } of packages) {
    for (const subpath of exports) {
      if (subpath === './package.json') continue
      const specifier = subpath === '.' ? name : `${name}/${subpath.slice(2)}`
      lines.push(`import type * as entry${lines.length} from '${specifier}'`)
    }
  }
  const count = lines.length
  lines.push(`export type Entries = [${Array.from({ length: count }, (_, i) => `typeof entry${i}`).join(', ')}]`, '')
  return lines.join('\n')
}
