import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bundleForBrowser } from '../../../scripts/test-helpers/browser-bundle.ts'

describe('browser entry', () => {
  it('bundles with no node: imports', async () => {
    const { nodeImports, inputs } = await bundleForBrowser(fileURLToPath(new URL('../src/index.ts', import.meta.url)))
    expect(nodeImports).toEqual([])
    expect(inputs.some((i) => i.includes('sodium-native'))).toBe(false)
  })
})
