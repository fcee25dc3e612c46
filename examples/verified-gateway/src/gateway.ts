import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { ErrorCode, fromHex, LumeError, silentLogger, type Logger } from '@lume/types'
import { parseRange } from './range.js'
import { verifyingSource, type VerifiedSource } from './source.js'
import type { Upstream } from './upstream.js'

/** Options for {@link createGateway}: a verified source, or an HTTP origin to verify. */
export type GatewayOptions = {
  /** Where verified content comes from (e.g. {@link lumeSource} for blobs on Lume relays). */
  source: VerifiedSource
  logger?: Logger
} | {
  /** An untrusted HTTP origin serving `<hash>` and `<hash>.obao`. */
  upstream: Upstream
  /** Chunk-group exponent the outboards were made with. @default 4 */
  k?: number
  logger?: Logger
}

const PATH = /^\/blake3\/([0-9a-f]{64})(?:\?key=([0-9a-f]{64}))?$/

/**
 * An HTTP server that serves `/blake3/<hash>` (with ranges) from an untrusted
 * source, verifying every byte against the hash before sending it. The
 * length is proven first (the final group is verified before any header is
 * sent); corruption mid-stream aborts the response, so the client sees a
 * broken transfer, never a wrong byte. `?key=<hex>` reads an encrypted blob
 * (Lume source only; the gateway listens on loopback, where the key is the
 * user's own).
 */
export function createGateway (options: GatewayOptions): Server {
  const logger = options.logger ?? silentLogger
  const source = 'source' in options ? options.source : verifyingSource(options.upstream, options.k ?? 4, logger)
  return createServer((req, res) => {
    serve(req, res, source).catch((err: unknown) => {
      const e = LumeError.isInstance(err) ? err : new LumeError(ErrorCode.REMOTE_ERROR, String(err))
      logger.warn({ url: redact(req.url), code: e.code, ...e.details }, e.message)
      if (!res.headersSent) {
        res.writeHead(statusOf(e.code), { 'content-type': 'text/plain' }).end(`${e.code}: ${e.message}\n`)
      } else {
        // Headers promised more bytes than we will send: cutting the connection makes that visible.
        res.destroy(e)
      }
    })
  })
}

async function serve (req: IncomingMessage, res: ServerResponse, source: VerifiedSource): Promise<void> {
  const match = PATH.exec(req.url ?? '')
  if ((req.method !== 'GET' && req.method !== 'HEAD') || match === null) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('try /blake3/<64 hex characters>[?key=<64 hex characters>]\n')
    return
  }
  const hashHex = match[1] as string
  const abort = new AbortController()
  res.on('close', () => abort.abort())
  const key = match[2] === undefined ? undefined : fromHex(match[2], 32)
  const content = await source.open(fromHex(hashHex, 32), abort.signal, key === undefined ? {} : { key })
  const size = content.size

  const range = parseRange(req.headers.range, size)
  if (range === 'unsatisfiable') {
    res.writeHead(416, { 'content-range': `bytes */${size}` }).end()
    return
  }
  const { start, end } = range ?? { start: 0, end: size - 1 }
  const length = Math.max(0, end - start + 1)
  res.writeHead(range === null ? 200 : 206, {
    'content-type': 'application/octet-stream',
    'content-length': String(length),
    'accept-ranges': 'bytes',
    'x-content-blake3': hashHex,
    ...(range === null ? {} : { 'content-range': `bytes ${start}-${end}/${size}` })
  })
  if (req.method === 'HEAD' || length === 0) { res.end(); return }
  // Everything that verified goes out, up to the first bad byte; then the response is cut (above).
  for await (const part of content.read(start, end + 1, abort.signal)) {
    if (!res.write(part)) await new Promise((resolve) => res.once('drain', resolve))
  }
  res.end()
}

function statusOf (code: string): number {
  if (code === ErrorCode.NOT_FOUND) return 404
  if (code === ErrorCode.INVALID_ARGUMENT) return 400
  if (code === ErrorCode.DECRYPTION_FAILED) return 403
  return 502
}

/** The request path without a content key: keys never reach the logs. */
function redact (url: string | undefined): string | undefined {
  return url?.replace(/\?key=.*/, '?key=…')
}
