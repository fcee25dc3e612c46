import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toHex } from '@lume/types'
import { writeBrowserPage } from '../../../scripts/test-helpers/browser-bundle.ts'
import { launchChromium, serveDirectory } from '../../../scripts/test-helpers/chromium.ts'
import { backend as sodium } from '../src/lib/ed25519-sodium.js'
import { ruleCases } from './helpers/rule-cases.js'

// The browser backend's async path in a real browser: Chromium's native
// Ed25519 behind Lume's rule must accept exactly what libsodium accepts.
describe('WebCrypto verify in Chromium', () => {
  let dir: string
  let browser: Browser | null = null

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lume-webcrypto-page-'))
    const { nodeImports } = await writeBrowserPage(fileURLToPath(new URL('./fixtures/webcrypto-page.ts', import.meta.url)), dir)
    expect(nodeImports).toEqual([])
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  }, 30_000)

  it('is used, and agrees with libsodium on every edge of the rule and on random mutations', async () => {
    const cases = ruleCases(300)
    const expected = cases.map(([s, m, k]) => sodium.verify(s, m, k))
    const http = await serveDirectory(dir)
    browser = await launchChromium()
    const tab = await browser.newPage()
    try {
      await tab.goto(http.url)
      await tab.waitForFunction(() => document.body.dataset.ready, undefined, { timeout: 30_000 })
      const asHex = cases.map(([s, m, k]) => [toHex(s), toHex(m), toHex(k)] as [string, string, string])
      const result = await tab.evaluate(async ([all, good]) => await window.check(all, good), [asHex, asHex[0]!] as const)
      expect(result.native).toBe(true)
      expect(result.verdicts).toEqual(expected)
      expect(expected.filter(Boolean).length).toBeGreaterThan(300)
    } finally {
      await tab.close()
      http.close()
    }
  }, 90_000)
})
