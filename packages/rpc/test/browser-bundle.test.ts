import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bundleForBrowser } from '../../../scripts/test-helpers/browser-bundle.ts'

describe('browser entry', () => {
  it('bundles for the browser with no node: imports and no native addon', async () => {
    const { inputs, nodeImports } = await bundleForBrowser(fileURLToPath(new URL('../src/index.ts', import.meta.url)))
    expect(nodeImports).toEqual([])
    expect(inputs.some((i) => i.includes('sodium-native'))).toBe(false)
    expect(inputs.some((i) => i.includes('protomux-rpc'))).toBe(true)
  })
})
