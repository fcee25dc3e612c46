/** One task at a time per key (others on the same key wait their turn; other keys run freely). */
export class KeyLock {
  private readonly tails = new Map<string, Promise<void>>()

  /** Run `fn` once every earlier task on `key` has finished. */
  async run<T> (key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    let release = (): void => {}
    const mine = previous.then(async () => await new Promise<void>((resolve) => { release = resolve }))
    this.tails.set(key, mine)
    await previous
    try {
      return await fn()
    } finally {
      release()
      if (this.tails.get(key) === mine) this.tails.delete(key)
    }
  }
}
