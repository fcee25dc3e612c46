import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bundleForBrowser } from '../../../scripts/test-helpers/browser-bundle.ts'

describe('browser entries', () => {
  it('bundles for the browser with no node: imports and no native addon', async () => {
    const { inputs, nodeImports } = await bundleForBrowser(fileURLToPath(new URL('../src/index.ts', import.meta.url)))
    expect(nodeImports).toEqual([])
    expect(inputs.some((i) => i.includes('sodium-native'))).toBe(false)
    expect(inputs.some((i) => i.includes('protomux-rpc'))).toBe(true)
  })

  // Clients in browsers use these too (the pool's core.info, caches' and quorums' checks).
  it.each(['signed', 'core'])('@lume/rpc/%s bundles with no node: imports', async (entry) => {
    const { inputs, nodeImports } = await bundleForBrowser(fileURLToPath(new URL(`../src/${entry}.ts`, import.meta.url)))
    expect(nodeImports).toEqual([])
    expect(inputs.some((i) => i.includes('sodium-native'))).toBe(false)
  })
})
