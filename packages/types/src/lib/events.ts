/**
 * An EventTarget whose event names and payloads are typed by a map, with
 * `noun:verb` names and `CustomEvent<T>` payloads.
 *
 * @example
 * ```ts
 * const events = new TypedEventTarget<{ 'peer:connect': { remotePublicKey: Uint8Array } }>()
 * const off = events.on('peer:connect', ({ remotePublicKey }) => console.log(remotePublicKey))
 * events.emit('peer:connect', { remotePublicKey })
 * off()
 * ```
 */
export class TypedEventTarget<EventMap extends object> extends EventTarget {
  /** The listener error handler: a listener that throws never breaks the emitter. */
  onListenerError: (err: unknown, type: string) => void = () => {}

  /** Call `listener` with each event's payload; returns a function that removes it. */
  on<K extends keyof EventMap & string> (type: K, listener: (detail: EventMap[K]) => void, options?: { signal?: AbortSignal, once?: boolean }): () => void {
    const wrapped = (event: Event): void => {
      try {
        listener((event as CustomEvent<EventMap[K]>).detail)
      } catch (err) {
        this.onListenerError(err, type)
      }
    }
    this.addEventListener(type, wrapped, options)
    return () => this.removeEventListener(type, wrapped)
  }

  /** Resolve with the next event's payload (rejects if `signal` aborts first). */
  once<K extends keyof EventMap & string> (type: K, signal?: AbortSignal): Promise<EventMap[K]> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted === true) return reject(signal.reason)
      const onAbort = (): void => { off(); reject(signal?.reason) }
      const off = this.on(type, (detail) => { signal?.removeEventListener('abort', onAbort); resolve(detail) }, { once: true })
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** Dispatch `type` with `detail`; listener errors go to {@link onListenerError}. */
  emit<K extends keyof EventMap & string> (type: K, detail: EventMap[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }))
  }
}
