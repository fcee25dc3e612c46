import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const docs = fileURLToPath(new URL('..', import.meta.url))
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const guide = readFileSync(`${docs}/guides/getting-started.md`, 'utf8')
const expected: Record<string, RegExp> = {
  'first-relay.ts': /^hello, world — signed by [0-9a-f]{8}$/m,
  'quorum.ts': /^2026, agreed by [3-5] relays$/m,
  'registry.ts': /^revision 0: my feed head$/m,
  'bao.ts': /^31000 bytes verified against [0-9a-f]{12}…$/m
}

// The guide shows each snippet verbatim, and each snippet runs and prints what the guide says.
describe('docs/guides/getting-started.md', () => {
  for (const file of readdirSync(`${docs}/snippets`).filter((f) => f.endsWith('.ts'))) {
    it(`shows and runs ${file}`, async () => {
      const source = readFileSync(`${docs}/snippets/${file}`, 'utf8').trimEnd()
      expect(guide.includes('```ts\n' + source + '\n```'), `${file} is not in the guide word for word`).toBe(true)
      const { stdout } = await run(process.execPath, ['--conditions=lume-source', '--import', tsx, `${docs}/snippets/${file}`], { timeout: 60_000, cwd: docs })
      expect(stdout).toMatch(expected[file] ?? /./)
    }, 90_000)
  }
})
