import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bundleForBrowser } from '../../../scripts/test-helpers/browser-bundle.ts'

describe('browser entry', () => {
  it('has the codec, memory store and client with no node: imports, LMDB or Redis', async () => {
    const { nodeImports, inputs } = await bundleForBrowser(fileURLToPath(new URL('../src/index.ts', import.meta.url)))
    expect(nodeImports).toEqual([])
    expect(inputs.some((i) => i.includes('lmdb') || i.includes('ioredis'))).toBe(false)
  })
})
