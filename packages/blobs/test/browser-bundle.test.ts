import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bundleForBrowser } from '../../../scripts/test-helpers/browser-bundle.ts'

describe('browser entry', () => {
  it('has the client, downloader and encryption with no node: imports and no relay-side code', async () => {
    const { nodeImports, inputs } = await bundleForBrowser(fileURLToPath(new URL('../src/index.ts', import.meta.url)))
    expect(nodeImports).toEqual([])
    expect(inputs.some((i) => i.includes('file-store') || i.includes('zod') || i.includes('sodium-native') || i.includes('@lume/relay'))).toBe(false)
  })
})
