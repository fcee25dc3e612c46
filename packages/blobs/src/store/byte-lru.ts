/**
 * Byte arrays by key, least recently added first out once their bytes pass
 * `limit`; an array bigger than the limit is not kept at all.
 */
export class ByteLru {
  private readonly items = new Map<string, Uint8Array>()
  private bytes = 0

  constructor (private readonly limit: number) {}

  get (key: string): Uint8Array | undefined {
    return this.items.get(key)
  }

  set (key: string, value: Uint8Array): void {
    if (value.byteLength > this.limit) return
    this.delete(key)
    this.items.set(key, value)
    this.bytes += value.byteLength
    for (const [old] of this.items) {
      if (this.bytes <= this.limit) break
      this.delete(old)
    }
  }

  delete (key: string): void {
    const value = this.items.get(key)
    if (value === undefined) return
    this.items.delete(key)
    this.bytes -= value.byteLength
  }
}
