/**
 * Packets seen recently, by (origin, sequence), in bounded memory: the oldest
 * entries go first when full. Packets older than the flood's age limit are
 * refused by age anyway, so the set only needs to cover that window.
 */
export class SeenSet {
  private readonly entries = new Map<string, true>()

  constructor (private readonly capacity: number) {}

  has (key: string): boolean {
    return this.entries.has(key)
  }

  add (key: string): void {
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string)
    this.entries.set(key, true)
  }

  get size (): number {
    return this.entries.size
  }
}
