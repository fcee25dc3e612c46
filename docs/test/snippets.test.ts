import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const docs = fileURLToPath(new URL('..', import.meta.url))
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const guides = readdirSync(`${docs}/guides`).filter((f) => f.endsWith('.md')).map((f) => readFileSync(`${docs}/guides/${f}`, 'utf8')).join('\n')
const expected: Record<string, RegExp> = {
  'first-relay.ts': /^hello, world — signed by [0-9a-f]{8}$/m,
  'quorum.ts': /^2026, agreed by [3-5] relays$/m,
  'registry.ts': /^revision 0: my feed head$/m,
  'bao.ts': /^31000 bytes verified against [0-9a-f]{12}…$/m,
  'keys.ts': /^64 true false$/m,
  'config.ts': /^9000 flag --port 16 env LUME_RPC__MAX_IN_FLIGHT$/m,
  'testnet.ts': /^3 peers up; round trip ok$/m,
  'flood.ts': /^C got "hello, everyone" through B$/m,
  'discovery.ts': /^dht ws:\/\/relay\.example:8080 \(from invite, signed by the relay\)$/m,
  'cache.ts': /^144, served by B, signed by A$/m
}

// The guides show each snippet verbatim, and each snippet runs and prints what the guide says.
describe('docs/guides', () => {
  for (const file of readdirSync(`${docs}/snippets`).filter((f) => f.endsWith('.ts'))) {
    it(`shows and runs ${file}`, async () => {
      const source = readFileSync(`${docs}/snippets/${file}`, 'utf8').trimEnd()
      expect(guides.includes('```ts\n' + source + '\n```'), `${file} is not in a guide word for word`).toBe(true)
      expect(expected[file], `no expected output for ${file}`).toBeDefined()
      const { stdout } = await run(process.execPath, ['--conditions=lume-source', '--import', tsx, `${docs}/snippets/${file}`], { timeout: 60_000, cwd: docs })
      expect(stdout).toMatch(expected[file] as RegExp)
    }, 90_000)
  }
})
