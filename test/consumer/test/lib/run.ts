import { execFile } from 'node:child_process'

/** What a finished program printed. */
export interface RunResult { stdout: string, stderr: string }

/**
 * Run a program to completion without a shell. Fails with its output when it
 * exits non-zero, so a failing step shows why.
 */
export async function run (file: string, args: string[], options: { cwd: string, env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  return await new Promise((resolve, reject) => {
    execFile(file, args, { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err !== null) reject(new Error(`${file} ${args.join(' ')} failed (${err.code ?? err.signal}):\n${stdout}\n${stderr}`))
      else resolve({ stdout, stderr })
    })
  })
}
