import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url))
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
// The runner's own LUME_ variables (LUME_TEST_REPORT_DIR) are not relay config: strict config would refuse them.
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toUpperCase().startsWith('LUME_')))

/** Start `lume-relay <args>` from the sources, with only the LUME_ variables given. */
export function run (args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--conditions=lume-source', '--import', tsx, cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...baseEnv, ...env } })
}

/** Wait for the process to exit; its exit code and everything it printed. */
export async function finish (child: ChildProcess): Promise<{ code: number | null, stdout: string, stderr: string }> {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { code, stdout, stderr }
}
