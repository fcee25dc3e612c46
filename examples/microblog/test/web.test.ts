import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, formatAddresses, type Testnet } from '@lume/testnet'
import { generateKeyPair, keyPairFromMnemonic } from '@lume/crypto'
import { Microblog } from '../src/index.js'
import { MicroblogRelay } from './relay-process.ts'

import { launchChromium, serveDirectory } from '../../../scripts/test-helpers/chromium.ts'
import { webSocketProxy, type WebSocketProxy } from '../../../scripts/test-helpers/ws-proxy.ts'

const pageDir = fileURLToPath(new URL('../page', import.meta.url))
const WAIT = { timeout: 30_000 }

describe('the microblog web UI in headless Chromium, relays in their own processes', () => {
  let testnet: Testnet
  const relays: MicroblogRelay[] = []
  let http: { url: string, close: () => void }
  let outDir: string
  let browser: Browser
  const contexts: BrowserContext[] = []
  const people: Microblog[] = []
  let alice: Microblog
  let carol: Microblog

  const person = (): Microblog => {
    const blog = new Microblog({ keyPair: generateKeyPair(), dialer: testnet.createNode(), relays: relays.map((r) => r.publicKey) })
    people.push(blog)
    return blog
  }
  const relayParam = (list: ReadonlyArray<{ publicKeyHex: string, websocketUrl: string }>): string => list.map((r) => `${r.publicKeyHex}@${r.websocketUrl}`).join(',')
  /** A fresh browser profile (its own localStorage) on the page. */
  const open = async (query: Record<string, string>, viewport?: { width: number, height: number }): Promise<{ page: Page, errors: string[] }> => {
    const context = await browser.newContext(viewport === undefined ? {} : { viewport })
    contexts.push(context)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    await page.goto(`${http.url}/?${new URLSearchParams(query).toString()}`)
    return { page, errors }
  }
  const post = (page: Page, text: string): ReturnType<Page['locator']> => page.locator('#timeline li.post', { has: page.locator(':scope > .text', { hasText: text }) })

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'lume-microblog-web-'))
    await build({ root: pageDir, configFile: join(pageDir, 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } })
    testnet = await createTestnet()
    const bootstrap = formatAddresses(testnet.bootstrap)
    relays.push(...await Promise.all([MicroblogRelay.start(bootstrap), MicroblogRelay.start(bootstrap)]))
    alice = person()
    carol = person()
    http = await serveDirectory(outDir)
    browser = await launchChromium()
  }, 180_000)
  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    http?.close()
    for (const p of people) await p.close()
    await Promise.all(relays.map(async (r) => await r.close()))
    await testnet?.close()
    await rm(outDir, { recursive: true, force: true })
  }, 60_000)

  it('posts, replies and likes read as such: names (key on hover), dates, quoted parents, threads, "liked by"', async () => {
    await alice.setProfile({ name: 'Alice', bio: 'first on Lume' })
    await carol.setProfile({ name: 'Carol', bio: '' })
    const hello = await alice.post('hello from node')
    const carols = await carol.post('carol, not followed by the page')
    await alice.post('so true', { replyTo: carols.post.hash })

    const { page, errors } = await open({ relays: relayParam(relays), follow: alice.id })
    const first = post(page, 'hello from node')
    await first.waitFor(WAIT)
    // The author by name, the key on hover; the date relative, the full one on hover.
    await expect.poll(async () => await first.locator('.author').first().innerText(), WAIT).toBe('Alice')
    expect(await first.locator('.author').first().getAttribute('title')).toBe(alice.id)
    expect(await first.locator('time.when').first().innerText()).toMatch(/^(just now|\d+ min ago)$/)
    expect(await first.locator('time.when').first().getAttribute('title')).toMatch(/\d{4}/)
    // Alice's reply to someone the page does not follow quotes what it answers, by name.
    const reply = post(page, 'so true')
    await expect.poll(async () => await reply.locator('.quote').innerText(), WAIT).toMatch(/^Replying to Carol\ncarol, not followed by the page$/)

    // The page replies through the Reply button: the reply sits in the thread under Alice's post.
    await first.locator('button.reply').first().click()
    expect(await page.locator('#replying-text').innerText()).toBe('Replying to Alice: “hello from node”')
    await page.fill('#text', 'welcome, alice!')
    await page.click('#post')
    const threaded = first.locator('ol.thread > li.post', { hasText: 'welcome, alice!' })
    await threaded.waitFor(WAIT)
    expect(await threaded.locator('.context').innerText()).toBe('↩ replying to Alice')
    expect(await threaded.locator('.author').first().innerText()).toBe('you')

    // Like: a count and who, on the post itself.
    await first.locator('button.like').first().click()
    await expect.poll(async () => await first.locator(':scope > .actions .like').innerText(), WAIT).toBe('♥ Liked · 1')
    expect(await first.locator(':scope > .actions .liked-by').innerText()).toBe('liked by you')

    // Alice (in Node) follows the page: she reads its reply as a reply, and her like shows there by her name.
    const pageKey = await page.locator('#me').innerText()
    alice.follow(pageKey)
    const seen = await alice.timeline()
    const pageReply = seen.find((p) => p.text === 'welcome, alice!')
    expect(pageReply?.replyTo).toBe(hello.post.hash)
    expect(seen.some((p) => p.author === pageKey && p.likes === hello.post.hash)).toBe(true)
    await alice.post('', { likes: pageReply!.hash })
    await expect.poll(async () => await threaded.locator('.liked-by').innerText(), WAIT).toBe('liked by Alice')
    expect(await threaded.locator('.like').innerText()).toBe('♥ Like · 1')

    // Nowhere a raw hash in place of a reply or a like.
    expect(await page.locator('#timeline').innerText()).not.toMatch(/[0-9a-f]{8}/)
    expect(errors).toEqual([])
  }, 120_000)

  it('follows persist across a reload, and the page sets its name, which others see', async () => {
    const bob = person()
    await bob.setProfile({ name: 'Bob', bio: '' })
    await bob.post('bob was here')
    const { page, errors } = await open({ relays: relayParam(relays) })
    await page.locator('#status', { hasText: 'every one verified' }).waitFor(WAIT)
    await page.click('#people summary')
    await page.fill('#follow', bob.id)
    await page.click('#follow-form button')
    await post(page, 'bob was here').waitFor(WAIT)

    await page.reload()
    await post(page, 'bob was here').waitFor(WAIT)
    await page.click('#people summary')
    await expect.poll(async () => await page.locator('#following .author').allInnerTexts(), WAIT).toEqual(['Bob'])
    expect(await page.locator('#following .author').getAttribute('title')).toBe(bob.id)

    // A bad key is a sentence, not an exception.
    await page.fill('#follow', 'not-a-key')
    await page.click('#follow-form button')
    expect(await page.locator('#notice').innerText()).toMatch(/^That is not a key: a key is 64 characters/)

    // Unfollowing persists too.
    await page.click('#following .unfollow')
    await page.reload()
    await page.locator('#status', { hasText: 'every one verified' }).waitFor(WAIT)
    expect(await page.locator('#following li').count()).toBe(0)

    await page.click('#profile summary')
    await page.fill('#name', 'Page Person')
    await page.fill('#bio', 'posting from a browser')
    await page.click('#save-profile')
    await page.locator('#notice', { hasText: 'Your profile is saved on 2 of 2 relays.' }).waitFor(WAIT)
    await expect.poll(async () => await page.locator('#my-name').innerText(), WAIT).toBe('Page Person')
    expect(await bob.profile(await page.locator('#me').innerText())).toEqual({ name: 'Page Person', bio: 'posting from a browser' })
    expect(errors).toEqual([])
  }, 120_000)

  it('the mnemonic is shown as a secret for backup, and imported in a fresh browser it is the same identity', async () => {
    const { page } = await open({ relays: relayParam(relays) })
    await page.locator('#status', { hasText: 'every one verified' }).waitFor(WAIT)
    await page.fill('#text', 'posted before the backup')
    await page.click('#post')
    await post(page, 'posted before the backup').waitFor(WAIT)
    const key = await page.locator('#me').innerText()

    await page.click('#identity summary')
    expect(await page.locator('#mnemonic').isVisible()).toBe(false)
    await page.click('#show-backup')
    expect(await page.locator('#backup').innerText()).toMatch(/^This is your secret\. Whoever has these words is you/)
    const words = await page.locator('#mnemonic').innerText()
    expect(words.split(' ')).toHaveLength(24)
    expect(keyPairFromMnemonic(words).publicKey).toEqual(Buffer.from(key, 'hex'))

    // Another browser: a new identity, until the words are typed in.
    const { page: other } = await open({ relays: relayParam(relays) })
    await other.locator('#status', { hasText: 'every one verified' }).waitFor(WAIT)
    expect(await other.locator('#me').innerText()).not.toBe(key)
    await other.click('#identity summary')
    await other.fill('#import-words', 'these are not twenty four words')
    await other.click('#import-button')
    expect(await other.locator('#import-status').innerText()).toMatch(/^Those words are not a valid recovery phrase/)
    await other.fill('#import-words', `  ${words.toUpperCase().split(' ').join('\n')} `)
    await Promise.all([other.waitForEvent('load'), other.click('#import-button')])
    expect(await other.locator('#me').innerText()).toBe(key)
    await expect.poll(async () => await post(other, 'posted before the backup').locator('.author').first().innerText(), WAIT).toBe('you')
  }, 120_000)

  it('at 390 px wide the page does not scroll sideways', async () => {
    const talker = person()
    await talker.setProfile({ name: 'Someone With A Rather Long Display Name Indeed', bio: '' })
    const long = await talker.post(`a-very-long-unbroken-word-${'x'.repeat(120)} and more`)
    await talker.post('a reply to that', { replyTo: long.post.hash })
    const { page, errors } = await open({ relays: relayParam(relays), follow: talker.id }, { width: 390, height: 844 })
    await post(page, 'a reply to that').waitFor(WAIT)
    for (const section of ['#people', '#profile', '#identity']) await page.click(`${section} summary`)
    await page.click('#show-backup')
    await page.locator('#timeline li.post button.reply').first().click()
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    expect(errors).toEqual([])
  }, 120_000)

  it('with its relay down, the page says so in a sentence (loading and posting), and recovers nothing it cannot verify', async () => {
    const gone = await MicroblogRelay.start(formatAddresses(testnet.bootstrap))
    const address = { publicKeyHex: gone.publicKeyHex, websocketUrl: gone.websocketUrl }
    await gone.close()
    const { page, errors } = await open({ relays: relayParam([address]) })
    const status = page.locator('#status.error')
    await status.waitFor(WAIT)
    expect(await status.innerText()).toBe('Loading the timeline failed: none of your relays could be reached. They may be down, or not reachable from this network; check their addresses, or try again in a moment. (trying again every few seconds)')
    await page.fill('#text', 'into the void')
    await page.click('#post')
    await page.locator('#notice.error').waitFor(WAIT)
    expect(await page.locator('#notice').innerText()).toMatch(/^Posting failed: none of your relays could be reached\./)
    expect(await page.locator('body').innerText()).not.toMatch(/undefined|\[object/)

    // One relay down of two: everything still shows, and the page says which share is missing.
    const { page: half } = await open({ relays: relayParam([relays[0]!, address]), follow: alice.id })
    await post(half, 'hello from node').waitFor(WAIT)
    await half.locator('#status', { hasText: '1 of 2 relays could not be reached (the others serve everything)' }).waitFor(WAIT)

    // No relays at all: how to give them.
    const { page: bare } = await open({})
    expect(await bare.locator('#status').innerText()).toMatch(/^This page does not know any relays\. Open it with \?relays=/)
    expect(errors).toEqual([])
  }, 120_000)

  it('private posts: for the people the page follows, opened there; locked for the others, who read why', async () => {
    const friend = person()
    const stranger = person()
    await friend.setProfile({ name: 'Friend', bio: '' })
    const { page, errors } = await open({ relays: relayParam(relays), follow: friend.id })
    await page.locator('#status', { hasText: 'every one verified' }).waitFor(WAIT)
    const pageKey = await page.locator('#me').innerText()
    await page.check('#private')
    await page.fill('#text', 'only my friends may read this')
    await page.click('#post')
    await page.locator('#notice', { hasText: 'Only you and the 1 person you follow can read it.' }).waitFor(WAIT)
    const mine = post(page, 'only my friends may read this')
    await mine.waitFor(WAIT)
    expect(await mine.locator('.private').innerText()).toBe('🔒 Private: only 1 person can read it.')

    // The person followed reads it; someone following the page but not followed back sees it is locked.
    friend.follow(pageKey)
    stranger.follow(pageKey)
    expect((await friend.feed(pageKey))[0]).toMatchObject({ text: 'only my friends may read this', sealed: 'opened' })
    expect((await stranger.feed(pageKey))[0]).toMatchObject({ text: '', sealed: 'locked' })

    // The friend's private posts: one for the page, opened there; one for someone else, locked with a sentence.
    await friend.post('see you at 9', { readers: [pageKey] })
    await friend.post('not for the page', { readers: [stranger.id] })
    await post(page, 'see you at 9').waitFor(WAIT)
    expect(await post(page, 'see you at 9').locator('.private').innerText()).toBe('🔒 Private: shared with you.')
    const locked = page.locator('#timeline li.post', { has: page.locator('.private', { hasText: 'you are not one of them' }) })
    await locked.waitFor(WAIT)
    expect(await locked.innerText()).toMatch(/^Friend\n.*\n🔒 A private post Friend shared with 1 person; you are not one of them\.\nReply/)
    expect(await page.locator('#timeline').innerText()).not.toContain('not for the page')
    expect(errors).toEqual([])
  }, 120_000)

  it('through a man in the middle on every relay link, the page\'s key and its post stay unreadable', async () => {
    const proxies: WebSocketProxy[] = []
    for (const relay of relays) proxies.push(await webSocketProxy(relay.websocketUrl))
    try {
      const { page } = await open({ relays: relays.map((r, i) => `${r.publicKeyHex}@${proxies[i]!.url}`).join(',') })
      const secretPost = 'only the relays may read this post'
      await page.fill('#text', secretPost)
      await page.click('#post')
      await post(page, secretPost).waitFor(WAIT)
      // The page keeps its identity as a mnemonic in localStorage, and uses it as its key on the wire
      // (the relays see its public key): derive the secret key that must never cross.
      const mnemonic = await page.evaluate(() => localStorage.getItem('lume-microblog-mnemonic'))
      const identity = keyPairFromMnemonic(mnemonic ?? '')
      const wire = Buffer.concat(proxies.flatMap((p) => p.seen))
      expect(wire.byteLength).toBeGreaterThan(1000)
      expect(wire.includes(Buffer.from(secretPost))).toBe(false)
      expect(wire.includes(Buffer.from(identity.secretKey.subarray(0, 32)))).toBe(false)
      expect(wire.includes(Buffer.from(mnemonic ?? 'x'))).toBe(false)
    } finally {
      for (const proxy of proxies) await proxy.close()
    }
  }, 120_000)
})
