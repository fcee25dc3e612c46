import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** curl as a user would run it (`--fail`): its exit code and stderr, never a throw. */
export async function curl (args: string[]): Promise<{ code: number, stderr: string }> {
  try {
    const { stderr } = await run('curl', ['--silent', '--show-error', '--fail', ...args])
    return { code: 0, stderr }
  } catch (err) {
    return { code: (err as { code: number }).code, stderr: String((err as { stderr?: string }).stderr) }
  }
}
