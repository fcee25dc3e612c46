import type { RegistryEntry } from './entry.js'

/** Listeners for stored entries; one that throws does not stop the others. */
export class Watchers {
  private readonly listeners = new Set<(entry: RegistryEntry) => void>()

  add (listener: (entry: RegistryEntry) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  notify (entry: RegistryEntry): void {
    for (const listener of this.listeners) {
      try {
        listener(entry)
      } catch {}
    }
  }

  clear (): void {
    this.listeners.clear()
  }
}
