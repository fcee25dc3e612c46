import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toHex } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { writeBrowserPage } from '../../../scripts/test-helpers/browser-bundle.ts'
import { launchChromium, serveDirectory } from '../../../scripts/test-helpers/chromium.ts'
import { BlobNet, testBytes, type BlobRelay } from './helpers/relays.js'

describe('the client in Chromium, over WebSocket only', () => {
  let net: BlobNet
  const relays: BlobRelay[] = []
  let dir: string
  let browser: Browser | null = null

  beforeAll(async () => {
    net = await BlobNet.create()
    relays.push(await net.add(), await net.add())
    dir = await mkdtemp(join(tmpdir(), 'lume-blobs-page-'))
    const { nodeImports } = await writeBrowserPage(fileURLToPath(new URL('./fixtures/browser-page.ts', import.meta.url)), dir)
    expect(nodeImports).toEqual([])
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await net?.close()
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  }, 30_000)

  it('reads an encrypted blob from two relays (noble in the page), resumes at an offset, and uploads one', async () => {
    const content = testBytes(1_500_000, 31)
    const put = await net.client(relays).put(content, { keyPair: generateKeyPair(), encrypt: true })
    const start = 123_457
    let sum = 0
    for (const byte of content.subarray(start)) sum = (sum + byte) % 65_521
    const endpoints = Object.fromEntries(relays.map((r) => [toHex(r.keyPair.publicKey), r.relay.websocketUrl ?? '']))
    const http = await serveDirectory(dir)
    browser = await launchChromium()
    const tab = await browser.newPage()
    try {
      await tab.goto(`${http.url}/?${new URLSearchParams({ endpoints: JSON.stringify(endpoints), link: put.link, start: String(start) }).toString()}`)
      const result = await tab.waitForFunction(() => document.body.dataset.result, undefined, { timeout: 60_000 })
      expect(await result.jsonValue()).toBe(`${content.length - start} ${sum} made in a browser 64`)
    } finally {
      await tab.close()
      http.close()
    }
  }, 90_000)
})
