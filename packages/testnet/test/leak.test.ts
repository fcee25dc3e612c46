import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

// vitest keeps its workers alive whatever a test leaves open, so a leaked
// socket or timer would go unnoticed here. Plain node exits only when nothing
// is left open: that is the check.
describe('no leaked handles', () => {
  it('a testnet scenario under plain node exits by itself after close()', async () => {
    const script = fileURLToPath(new URL('./fixtures/scenario.ts', import.meta.url))
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
    const child = spawn(process.execPath, ['--conditions=lume-source', '--import', tsx, script], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => { output += d.toString() })
    child.stderr.on('data', (d: Buffer) => { output += d.toString() })
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000)
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c, signal) => resolve(signal === 'SIGKILL' ? -1 : c)))
    clearTimeout(timer)
    expect(output).toContain('scenario closed')
    expect(code, `process did not exit by itself (killed after 25 s):\n${output}`).toBe(0)
  }, 40_000)
})
