import { Duplex } from 'streamx'

/**
 * The part of the WHATWG `WebSocket` this transport uses. Browsers'
 * `WebSocket` and the `ws` package (in Node) both have it.
 */
export interface WebSocketLike {
  binaryType: string
  readonly readyState: number
  readonly bufferedAmount: number
  send (data: Uint8Array): void
  close (code?: number, reason?: string): void
  /** Stop reading from the network (the `ws` package has it; browsers don't). */
  pause?: () => void
  resume?: () => void
  addEventListener (type: 'open' | 'close' | 'error' | 'message', listener: (event: MessageLike) => void): void
}

/** What this transport reads from a WebSocket event. */
export interface MessageLike {
  readonly data?: unknown
}

/** WebSocket readyState values (the constants are not on every implementation's prototype). */
const OPEN = 1
const CLOSING = 2
/** Writes wait while more than this is queued in the socket (browsers have no 'drain' event). */
const HIGH_WATER_BYTES = 1024 * 1024
const DRAIN_POLL_MS = 4

/**
 * A WebSocket as a byte stream (a streamx Duplex): each write is one binary
 * message, each message received is pushed as bytes. It carries no framing
 * of its own: the Noise secret stream on top frames and encrypts.
 */
export class WebSocketStream extends Duplex {
  /** The peer's address, when the server side knows it ('' otherwise). Read like a UDX stream's. */
  readonly remoteHost: string
  readonly remotePort: number
  private readonly socket: WebSocketLike
  private opened = false

  constructor (socket: WebSocketLike, remote: { host?: string, port?: number } = {}) {
    super()
    this.socket = socket
    this.remoteHost = remote.host ?? ''
    this.remotePort = remote.port ?? 0
    socket.binaryType = 'arraybuffer'
    this.opened = socket.readyState === OPEN
    socket.addEventListener('open', () => { this.opened = true; this.emit('connect') })
    socket.addEventListener('message', (event) => {
      const bytes = toBytes(event.data)
      if (bytes === null) { this.destroy(new Error('text frame on a binary WebSocket')); return }
      // Backpressure where the implementation allows it (ws in Node): stop
      // reading until the secret stream has taken what it was given.
      if (!this.push(bytes)) socket.pause?.()
    })
    socket.addEventListener('close', () => {
      this.push(null)
      this.destroy()
    })
    socket.addEventListener('error', () => this.destroy(new Error('WebSocket error')))
  }

  /** True once the WebSocket itself was open (a Noise failure after that is the peer's, not the network's). */
  get wasOpened (): boolean {
    return this.opened
  }

  override _open (cb: (err: Error | null) => void): void {
    if (this.socket.readyState === OPEN) { cb(null); return }
    if (this.socket.readyState >= CLOSING) { cb(new Error('WebSocket closed')); return }
    this.socket.addEventListener('open', () => cb(null))
    this.socket.addEventListener('close', () => { if (!this.opened) cb(new Error('WebSocket closed before it opened')) })
  }

  override _read (cb: (err: Error | null) => void): void {
    this.socket.resume?.()
    cb(null)
  }

  override _write (data: Uint8Array, cb: (err: Error | null) => void): void {
    this._writev([data], cb)
  }

  /**
   * Everything queued goes out as one message: message boundaries carry no
   * meaning here, and each WebSocket send has a fixed cost (in a browser, a
   * trip to the network process) that would dominate small RPC frames. The
   * callback waits a microtask, so the writes of the same tick queue up and
   * leave together in the next batch.
   */
  override _writev (batch: unknown[], cb: (err: Error | null) => void): void {
    if (this.socket.readyState !== OPEN) { cb(new Error('WebSocket is not open')); return }
    const chunks = batch as Uint8Array[]
    if (chunks.length === 1) {
      this.socket.send(chunks[0] as Uint8Array)
    } else {
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0))
      let at = 0
      for (const chunk of chunks) { out.set(chunk, at); at += chunk.byteLength }
      this.socket.send(out)
    }
    queueMicrotask(() => this.waitForRoom(cb))
  }

  override _final (cb: (err: Error | null) => void): void {
    this.socket.close(1000)
    cb(null)
  }

  override _destroy (cb: (err: Error | null) => void): void {
    if (this.socket.readyState < CLOSING) this.socket.close(1000)
    cb(null)
  }

  private waitForRoom (cb: (err: Error | null) => void): void {
    if (this.socket.bufferedAmount <= HIGH_WATER_BYTES || this.socket.readyState !== OPEN) { cb(null); return }
    setTimeout(() => this.waitForRoom(cb), DRAIN_POLL_MS)
  }
}

function toBytes (data: unknown): Uint8Array | null {
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  if (Array.isArray(data)) {
    // `ws` may hand fragments as an array of Buffers.
    const parts = data.filter((p): p is Uint8Array => ArrayBuffer.isView(p))
    const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
    let at = 0
    for (const p of parts) { out.set(p, at); at += p.byteLength }
    return out
  }
  return null
}
