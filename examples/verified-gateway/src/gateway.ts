import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { BaoDecoder, groupLen, HEADER_LEN } from '@lume/bao-stream'
import { ErrorCode, fromHex, LumeError, silentLogger, type Logger } from '@lume/types'
import { parseRange, type ByteRange } from './range.js'
import type { Upstream } from './upstream.js'

/** Options for {@link createGateway}. */
export interface GatewayOptions {
  upstream: Upstream
  /** Chunk-group exponent the outboards were made with. @default 4 */
  k?: number
  logger?: Logger
}

const PATH = /^\/blake3\/([0-9a-f]{64})$/

/**
 * An HTTP server that serves `/blake3/<hash>` (with ranges) from an untrusted
 * upstream, verifying every byte against the hash before sending it. The
 * length is proven first (the final group is verified before any header is
 * sent); corruption mid-stream aborts the response, so the client sees a
 * broken transfer, never a wrong byte.
 */
export function createGateway (options: GatewayOptions): Server {
  const logger = options.logger ?? silentLogger
  return createServer((req, res) => {
    serve(req, res, options, logger).catch((err: unknown) => {
      const e = LumeError.isInstance(err) ? err : new LumeError(ErrorCode.REMOTE_ERROR, String(err))
      logger.warn({ url: req.url, code: e.code, ...e.details }, e.message)
      if (!res.headersSent) {
        const status = e.code === ErrorCode.NOT_FOUND ? 404 : 502
        res.writeHead(status, { 'content-type': 'text/plain' }).end(`${e.code}: ${e.message}\n`)
      } else {
        // Headers promised more bytes than we will send: cutting the connection makes that visible.
        res.destroy(e)
      }
    })
  })
}

async function serve (req: IncomingMessage, res: ServerResponse, options: GatewayOptions, logger: Logger): Promise<void> {
  const match = PATH.exec(req.url ?? '')
  if ((req.method !== 'GET' && req.method !== 'HEAD') || match === null) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('try /blake3/<64 hex characters>\n')
    return
  }
  const hashHex = match[1] as string
  const hash = fromHex(hashHex, 32)
  const k = options.k ?? 4
  const group = groupLen(k)
  const abort = new AbortController()
  res.on('close', () => abort.abort())

  const outboard = await options.upstream.outboard(hashHex, abort.signal)
  if (outboard.byteLength < HEADER_LEN) throw new LumeError(ErrorCode.TRUNCATED, 'outboard is shorter than its header')
  const size = Number(new DataView(outboard.buffer, outboard.byteOffset, 8).getBigUint64(0, true))
  await proveLength(options.upstream, hashHex, hash, outboard, size, k, abort.signal)

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
  await streamVerified(res, options.upstream, hashHex, hash, outboard, size, { start, end }, group, k, abort.signal, logger)
}

/**
 * The header's length is untrusted until the final group verifies (Bao's
 * final-chunk requirement): check it before promising a Content-Length.
 */
async function proveLength (upstream: Upstream, hashHex: string, hash: Uint8Array, outboard: Uint8Array, size: number, k: number, signal: AbortSignal): Promise<void> {
  const group = groupLen(k)
  const lastStart = size === 0 ? 0 : Math.floor((size - 1) / group) * group
  const decoder = new BaoDecoder(hash, { k, outboard, range: { start: lastStart, len: size - lastStart } })
  for await (const piece of await upstream.content(hashHex, lastStart, size, signal)) decoder.push(piece)
  decoder.finish()
  if (decoder.contentLength !== size) throw new LumeError(ErrorCode.HASH_MISMATCH, 'the final group did not prove the length')
}

async function streamVerified (res: ServerResponse, upstream: Upstream, hashHex: string, hash: Uint8Array, outboard: Uint8Array, size: number, range: ByteRange, group: number, k: number, signal: AbortSignal, logger: Logger): Promise<void> {
  const groupStart = Math.floor(range.start / group) * group
  const groupEnd = Math.min(Math.ceil((range.end + 1) / group) * group, size)
  const decoder = new BaoDecoder(hash, { k, outboard, range: { start: range.start, len: range.end - range.start + 1 } })
  let sent = 0
  for await (const piece of await upstream.content(hashHex, groupStart, groupEnd, signal)) {
    // Everything that verified goes out, up to the first bad group; then the response is cut.
    for (const part of decoder.push(piece)) {
      sent += part.byteLength
      if (!res.write(part)) await new Promise((resolve) => res.once('drain', resolve))
    }
    const failure = decoder.error
    if (failure !== null) {
      logger.error({ hash: hashHex, offset: failure.details.offset, sent }, `corrupt content from upstream: ${failure.message}; response aborted`)
      throw failure
    }
  }
  decoder.finish()
  res.end()
}
