import { createInterface } from 'node:readline'
import type { ChildProcess } from 'node:child_process'
import { request } from 'node:http'

/** The relay's key, status-page URL and WebSocket URL ('' if none) once `lume-relay start` prints them; rejects with its stderr if it exits first. */
export async function started (child: ChildProcess): Promise<{ key: string, url: string, ws: string }> {
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
  return await new Promise((resolve, reject) => {
    let url = ''
    let ws = ''
    child.once('exit', (code) => reject(new Error(`lume-relay exited with ${code}: ${stderr}`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const http = /status page at (http:\/\/[^/ ]+)\//.exec(line)
      if (http !== null) url = http[1]!
      const socket = /reach this relay at (ws:\/\/\S+)/.exec(line)
      if (socket !== null) ws = socket[1]!
      const key = /ping it with: lume-relay ping ([0-9a-f]{64})/.exec(line)
      if (key !== null) resolve({ key: key[1]!, url, ws })
    })
  })
}

/** Stop a relay with SIGTERM; its exit code. */
export async function stop (child: ChildProcess | undefined): Promise<number | null> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  return await exited
}

/** One raw HTTP exchange (what fetch would refuse to send): status, headers and body. */
export async function raw (url: string, options: { method?: string, path?: string, headers?: Record<string, string>, body?: string }): Promise<{ status: number, headers: Record<string, unknown>, body: string }> {
  const target = new URL(url)
  return await new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers ?? {} }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => { body += d.toString() })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** The value of one sample line of a Prometheus text exposition, or undefined. */
export function sample (text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}
