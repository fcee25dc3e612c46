import { ErrorCode, LumeError } from '@lume/types'

interface OpenStream {
  iterator: AsyncIterator<Uint8Array>
  /** Pulls run one after another, in arrival order. */
  chain: Promise<unknown>
  idle: ReturnType<typeof setTimeout>
}

/** The result of pulling a stream: a chunk, or the end. */
export type Pull = { done: false, chunk: Uint8Array } | { done: true }

/**
 * The streams one connection has open on the server side. A stream the client
 * stops pulling is closed after `idleMs`; at most `maxStreams` at once.
 */
export class StreamTable {
  private readonly streams = new Map<number, OpenStream>()
  private nextId = 1

  constructor (private readonly maxStreams: number, private readonly idleMs: number) {}

  /** Register an iterator of encoded chunks and return its id. */
  open (source: AsyncIterable<Uint8Array>): number {
    if (this.streams.size >= this.maxStreams) throw new LumeError(ErrorCode.RATE_LIMITED, `too many open streams (limit ${this.maxStreams})`)
    const id = this.nextId++
    const stream: OpenStream = { iterator: source[Symbol.asyncIterator](), chain: Promise.resolve(), idle: this.idleTimer(id) }
    this.streams.set(id, stream)
    return id
  }

  /** The next chunk of stream `id` (pulls are served in the order they arrive). */
  async pull (id: number): Promise<Pull> {
    const stream = this.streams.get(id)
    if (stream === undefined) throw new LumeError(ErrorCode.NOT_FOUND, `no open stream ${id}`)
    stream.idle.refresh()
    const next = stream.chain.then(async () => await stream.iterator.next())
    stream.chain = next.catch(() => {})
    try {
      const result = await next
      if (result.done === true) {
        this.forget(id)
        return { done: true }
      }
      return { done: false, chunk: result.value }
    } catch (err) {
      this.forget(id)
      throw err
    }
  }

  /** Stop stream `id` early (its source's `return()` runs). */
  cancel (id: number): void {
    const stream = this.streams.get(id)
    if (stream === undefined) return
    this.forget(id)
    void stream.iterator.return?.().catch(() => {})
  }

  /** Stop every stream (the connection closed). */
  closeAll (): void {
    for (const id of [...this.streams.keys()]) this.cancel(id)
  }

  private forget (id: number): void {
    const stream = this.streams.get(id)
    if (stream !== undefined) clearTimeout(stream.idle)
    this.streams.delete(id)
  }

  private idleTimer (id: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => this.cancel(id), this.idleMs)
    timer.unref?.()
    return timer
  }
}
