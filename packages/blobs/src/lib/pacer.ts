import { LumeError } from '@lume/types'

/**
 * Paces the bytes a relay serves to `bytesPerSecond` in all (first come,
 * first served): each answer waits until the bytes before it have had their
 * time. 0 means no cap.
 */
export class Pacer {
  private nextFree = 0

  constructor (private readonly bytesPerSecond: number) {}

  /** Wait until `bytes` may go out; rejects `ABORTED` when `signal` fires first. */
  async wait (bytes: number, signal?: AbortSignal): Promise<void> {
    if (this.bytesPerSecond <= 0) return
    const now = performance.now()
    const at = Math.max(now, this.nextFree)
    this.nextFree = at + (bytes / this.bytesPerSecond) * 1000
    const delay = at - now
    if (delay <= 0) return
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => { clearTimeout(timer); reject(LumeError.aborted('paced answer', signal?.reason)) }
      const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve() }, delay)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }
}
