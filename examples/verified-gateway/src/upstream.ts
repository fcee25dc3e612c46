import { ErrorCode, LumeError } from '@lume/types'

/** Where the gateway gets content and outboards from: an HTTP origin serving `<hash>` and `<hash>.obao`. */
export interface Upstream {
  /** The whole outboard of `hash`. */
  outboard (hash: string, signal: AbortSignal): Promise<Uint8Array>
  /** Content bytes [start, end) of `hash`, as a stream. */
  content (hash: string, start: number, end: number, signal: AbortSignal): Promise<AsyncIterable<Uint8Array>>
}

/** Largest outboard fetched (an upstream cannot make the gateway buffer more). */
const MAX_OUTBOARD_BYTES = 64 * 1024 * 1024

/** An HTTP origin at `base` (e.g. `http://127.0.0.1:8080`). */
export function httpUpstream (base: string): Upstream {
  const url = (name: string): string => `${base.replace(/\/$/, '')}/${name}`
  return {
    async outboard (hash, signal) {
      const res = await fetch(url(`${hash}.obao`), { signal })
      if (!res.ok) throw new LumeError(res.status === 404 ? ErrorCode.NOT_FOUND : ErrorCode.CONNECTION_FAILED, `upstream answered ${res.status} for ${hash}.obao`)
      const declared = Number(res.headers.get('content-length') ?? 0)
      if (declared > MAX_OUTBOARD_BYTES) throw LumeError.tooLarge('outboard', declared, MAX_OUTBOARD_BYTES)
      const bytes = new Uint8Array(await res.arrayBuffer())
      if (bytes.byteLength > MAX_OUTBOARD_BYTES) throw LumeError.tooLarge('outboard', bytes.byteLength, MAX_OUTBOARD_BYTES)
      return bytes
    },
    async content (hash, start, end, signal) {
      if (end <= start) return (async function * () {})()
      const res = await fetch(url(hash), { signal, headers: { range: `bytes=${start}-${end - 1}` } })
      if (res.status !== 206 && !(res.status === 200 && start === 0)) {
        throw new LumeError(res.status === 404 ? ErrorCode.NOT_FOUND : ErrorCode.CONNECTION_FAILED, `upstream answered ${res.status} for ${hash} bytes ${start}-${end - 1}`)
      }
      if (res.body === null) throw new LumeError(ErrorCode.TRUNCATED, 'upstream sent no body')
      // Node's fetch body is async-iterable (the DOM typings do not say so).
      return res.body as unknown as AsyncIterable<Uint8Array>
    }
  }
}
