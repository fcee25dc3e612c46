import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bundleForBrowser } from '../../../scripts/test-helpers/browser-bundle.ts'

describe('browser entry', () => {
  it('has the core, DHT, invite and static sources with no node: imports (IRC is in ./node)', async () => {
    const { nodeImports, inputs } = await bundleForBrowser(fileURLToPath(new URL('../src/index.ts', import.meta.url)))
    expect(nodeImports).toEqual([])
    expect(inputs.some((i) => i.includes('irc-framework'))).toBe(false)
  })
})
