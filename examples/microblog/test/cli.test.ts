import { execFile } from 'node:child_process'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, formatAddresses, type Testnet } from '@lume/testnet'
import type { Relay } from '@lume/relay'
import { microblogRelay } from './relays.ts'

const run = promisify(execFile)
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

describe('lume-microblog CLI', () => {
  let testnet: Testnet
  const relays: Relay[] = []
  const closers: Array<() => Promise<void>> = []
  let dir: string
  const blog = async (user: string, ...args: string[]): Promise<string> => {
    const { stdout } = await run(process.execPath, ['--conditions=lume-source', '--import', tsx, cli, ...args, '--dir', join(dir, user)], { timeout: 30_000 })
    return stdout
  }
  /** The CLI with `input` on stdin: its output, or its stderr and exit code when it fails. */
  const withInput = async (user: string, input: string, ...args: string[]): Promise<{ stdout: string, stderr: string, code: number }> => {
    const child = run(process.execPath, ['--conditions=lume-source', '--import', tsx, cli, ...args, '--dir', join(dir, user)], { timeout: 30_000 })
    child.child.stdin?.end(input)
    return await child.then(({ stdout, stderr }) => ({ stdout, stderr, code: 0 }), (err: { stdout: string, stderr: string, code: number }) => ({ stdout: err.stdout, stderr: err.stderr, code: err.code }))
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lume-microblog-cli-'))
    testnet = await createTestnet()
    for (let i = 0; i < 2; i++) {
      const { relay, close } = await microblogRelay(testnet)
      relays.push(relay)
      closers.push(close)
    }
    await relays[0]!.connect(relays[1]!.publicKey)
  }, 30_000)
  afterAll(async () => {
    await Promise.all(closers.map(async (close) => await close()))
    await testnet?.close()
    await rm(dir, { recursive: true, force: true })
  }, 30_000)

  it('init, post, follow, timeline — as two users in their own directories', async () => {
    const net = ['--relays', relays.map((r) => r.publicKeyHex).join(','), '--bootstrap', formatAddresses(testnet.bootstrap).join(',')]
    expect(await blog('alice', 'init', ...net)).toMatch(/you are [0-9a-f]{64}/)
    expect((await stat(join(dir, 'alice', 'identity'))).mode & 0o777).toBe(0o600)
    await blog('bob', 'init', ...net)
    const alice = (await blog('alice', 'whoami')).trim()
    expect(await blog('alice', 'post', 'hello', 'from', 'the', 'CLI')).toMatch(/posted [0-9a-f]{12}… to 2 relays/)
    expect(await blog('bob', 'follow', alice)).toMatch(/now following 1/)
    const timeline = await blog('bob', 'timeline')
    expect(timeline).toContain(`${alice.slice(0, 8)}  hello from the CLI`)
  }, 120_000)

  it('a profile name in the timeline, a reply by the start of a hash, a private post, and an identity backed up and imported', async () => {
    const net = ['--relays', relays.map((r) => r.publicKeyHex).join(','), '--bootstrap', formatAddresses(testnet.bootstrap).join(',')]
    const alice = (await blog('alice', 'whoami')).trim()
    expect(await blog('alice', 'profile', 'Alice', '--bio', 'first on Lume')).toMatch(/you are now "Alice" on 2 relays/)
    const line = (await blog('bob', 'timeline')).split('\n').find((l) => l.includes('hello from the CLI')) ?? ''
    expect(line).toContain(`Alice ${alice.slice(0, 8)}  hello from the CLI`)
    const hash = /\[([0-9a-f]{8})\]$/.exec(line)?.[1] ?? ''
    expect(await blog('bob', 'post', '--reply-to', hash, 'welcome!')).toMatch(/posted/)
    expect(await blog('bob', 'timeline')).toMatch(new RegExp(`welcome!  \\(reply to Alice ${alice.slice(0, 8)}: "hello from the CLI" \\[${hash}\\]\\)`))

    // Private: alice follows bob, so bob reads it; carol, following alice only, does not.
    await blog('alice', 'follow', (await blog('bob', 'whoami')).trim())
    expect(await blog('alice', 'post', '--private', 'for', 'bob')).toMatch(/posted/)
    expect(await blog('bob', 'timeline')).toMatch(/Alice [0-9a-f]{8} {2}🔒 for bob {2}\[/)
    await blog('carol', 'init', ...net)
    await blog('carol', 'follow', alice)
    const forCarol = await blog('carol', 'timeline')
    expect(forCarol).toContain('🔒 (a private post, not for you)')
    expect(forCarol).not.toContain('for bob')

    const words = await withInput('bob', '', 'backup')
    expect(words.stderr).toMatch(/^Your secret: whoever has these words is you/)
    expect(words.stdout.trim().split(' ')).toHaveLength(24)
    expect((await withInput('bob-restored', words.stdout, 'init', '--import')).stdout).toContain(`you are ${(await blog('bob', 'whoami')).trim()}`)
    const bad = await withInput('dave', 'not a mnemonic at all', 'init', '--import')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toBe("lume-microblog: 'init' failed: that is not a valid mnemonic (24 or 12 English words, as 'backup' printed them).\n")
  }, 120_000)
})
