import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bundleForBrowser } from '../../../scripts/test-helpers/browser-bundle.ts'

// @lume/types is what every plugin and page imports: it must pull in nothing.
describe('@lume/types has no dependencies', () => {
  it('declares no runtime dependencies', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as Record<string, unknown>
    expect(pkg.dependencies ?? {}).toEqual({})
    expect(pkg.peerDependencies ?? {}).toEqual({})
  })

  it('bundles for a browser from its own sources alone', async () => {
    const { inputs, nodeImports } = await bundleForBrowser(fileURLToPath(new URL('../src/index.ts', import.meta.url)))
    expect(inputs.filter((i) => !i.startsWith('src/') && !i.includes('packages/types/src/'))).toEqual([])
    expect(nodeImports).toEqual([])
  })
})
