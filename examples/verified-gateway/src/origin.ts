import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { parseRange } from './range.js'

const NAME = /^\/([0-9a-f]{64}(?:\.obao)?)$/

/**
 * A tiny, untrusting-nobody HTTP origin for the demo and the tests: serves
 * `<dir>/<hash>` and `<dir>/<hash>.obao` with range support, as any static
 * file server or CDN would. The gateway trusts none of it.
 */
export function createOrigin (dir: string): Server {
  return createServer((req, res) => {
    const name = NAME.exec(req.url ?? '')?.[1]
    if (req.method !== 'GET' || name === undefined) { res.writeHead(404).end(); return }
    const file = join(dir, name)
    stat(file).then((info) => {
      const range = parseRange(req.headers.range, info.size)
      if (range === 'unsatisfiable') { res.writeHead(416, { 'content-range': `bytes */${info.size}` }).end(); return }
      const { start, end } = range ?? { start: 0, end: info.size - 1 }
      res.writeHead(range === null ? 200 : 206, {
        'content-length': String(Math.max(0, end - start + 1)),
        'accept-ranges': 'bytes',
        ...(range === null ? {} : { 'content-range': `bytes ${start}-${end}/${info.size}` })
      })
      if (info.size === 0) { res.end(); return }
      createReadStream(file, { start, end }).on('error', () => res.destroy()).pipe(res)
    }, () => res.writeHead(404).end())
  })
}
