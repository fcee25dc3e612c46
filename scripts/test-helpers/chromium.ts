import { createReadStream, existsSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'

/** Debian's chromium, as the tests drive it: headless, no sandbox (root in CI), nothing phoning home. */
export async function launchChromium (): Promise<Browser> {
  return await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
  })
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' }

/** Serve a built page's directory on a free loopback port. */
export async function serveDirectory (dir: string): Promise<{ url: string, close: () => void }> {
  const server = createServer((req, res) => {
    const path = join(dir, new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/$/, '/index.html'))
    if (!path.startsWith(dir) || !existsSync(path)) { res.writeHead(404).end(); return }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' })
    createReadStream(path).pipe(res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => { server.close(); server.closeAllConnections() } }
}
