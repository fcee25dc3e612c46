import { ErrorCode, LumeError } from '@lume/types'

/** The result of pulling a stream: a chunk, or the end. */
export type Pull = { done: false, chunk: Uint8Array } | { done: true }

/** What a stream needs besides its chunks: how to stop its handler and give back its budget. */
export interface StreamHooks {
  /** Stop the handler (abort its signal) with `reason`. */
  abort: (reason: unknown) => void
  /** Give back the stream's budget. */
  release: () => void
}

interface OpenStream {
  iterator: AsyncIterator<Uint8Array>
  /** Pulls run one after another, in arrival order. */
  chain: Promise<unknown>
  /** Pulls waiting now; each settles with `done` if the stream closes first. */
  waiting: Set<(pull: Pull) => void>
  /** Runs only while no pull waits. */
  idle: ReturnType<typeof setTimeout> | null
  hooks: StreamHooks
}

const END: Pull = { done: true }

/**
 * The streams one connection has open on the server side. A stream with no
 * pull waiting is closed after `idleMs`; a pull waiting for a chunk keeps it
 * open for as long as the connection lives (its cost is the peer's budget,
 * not a timer). At most `maxPendingPulls` pulls wait on one stream.
 */
export class StreamTable {
  private readonly streams = new Map<number, OpenStream>()
  private nextId = 1

  constructor (private readonly idleMs: number, private readonly maxPendingPulls: number) {}

  /** Open streams now. */
  get size (): number {
    return this.streams.size
  }

  /** Pulls waiting now, on every stream. */
  get waiting (): number {
    let n = 0
    for (const stream of this.streams.values()) n += stream.waiting.size
    return n
  }

  /** Register an iterator of encoded chunks and return its id. */
  open (source: AsyncIterable<Uint8Array>, hooks: StreamHooks): number {
    const id = this.nextId++
    const stream: OpenStream = { iterator: source[Symbol.asyncIterator](), chain: Promise.resolve(), waiting: new Set(), idle: null, hooks }
    this.streams.set(id, stream)
    this.armIdle(id, stream)
    return id
  }

  /** The next chunk of stream `id` (pulls are served in the order they arrive). */
  async pull (id: number): Promise<Pull> {
    const stream = this.streams.get(id)
    if (stream === undefined) throw new LumeError(ErrorCode.NOT_FOUND, `no open stream ${id}`)
    if (stream.waiting.size >= this.maxPendingPulls) {
      throw new LumeError(ErrorCode.RATE_LIMITED, `too many pulls waiting on stream ${id} (limit ${this.maxPendingPulls})`)
    }
    if (stream.idle !== null) clearTimeout(stream.idle)
    stream.idle = null
    const next = stream.chain.then(async () => await stream.iterator.next())
    stream.chain = next.catch(() => {})
    return await new Promise<Pull>((resolve, reject) => {
      // Closing the stream settles a waiting pull at once, even while the handler still awaits.
      stream.waiting.add(resolve)
      const settle = (): void => {
        stream.waiting.delete(resolve)
        if (stream.waiting.size === 0 && this.streams.get(id) === stream) this.armIdle(id, stream)
      }
      next.then((result) => {
        settle()
        if (result.done === true) {
          this.cancel(id, LumeError.closed(`stream ${id}`))
          resolve(END)
        } else {
          resolve({ done: false, chunk: result.value })
        }
      }, (err: unknown) => {
        settle()
        this.cancel(id, err)
        reject(err)
      })
    })
  }

  /** Stop stream `id` early: its handler's signal aborts, its source's `return()` runs, waiting pulls end. */
  cancel (id: number, reason: unknown = LumeError.aborted(`stream ${id}`)): void {
    const stream = this.streams.get(id)
    if (stream === undefined) return
    this.streams.delete(id)
    if (stream.idle !== null) clearTimeout(stream.idle)
    stream.hooks.release()
    stream.hooks.abort(reason)
    for (const resolve of stream.waiting) resolve(END)
    stream.waiting.clear()
    void stream.iterator.return?.().catch(() => {})
  }

  /** Stop every stream (the connection closed). */
  closeAll (reason: unknown): void {
    for (const id of [...this.streams.keys()]) this.cancel(id, reason)
  }

  private armIdle (id: number, stream: OpenStream): void {
    const timer = setTimeout(() => this.cancel(id, LumeError.timeout(`stream ${id} (no pull)`, this.idleMs)), this.idleMs)
    ;(timer as { unref?: () => void }).unref?.()
    stream.idle = timer
  }
}
