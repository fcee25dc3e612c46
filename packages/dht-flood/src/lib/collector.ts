import { BoundedMap } from '@lume/types'

interface Held {
  except: Set<string>
  timer: ReturnType<typeof setTimeout>
  bytes: number
}

/**
 * Holds a packet's forward back for a short delay while neighbours say they
 * already have it (a `have`, or the packet itself), so it is then sent only
 * to those that have not: fewer duplicate sends for a little latency per hop.
 * Bounded: at most `maxPending` forwards and `maxPendingBytes` of packets
 * are held (more go out at once), and `have`s heard before the packet are
 * remembered for at most `maxPending` ids.
 */
export class Collector {
  private readonly held = new Map<string, Held>()
  // Haves that arrived before the packet itself; the first key is the oldest.
  private readonly early: BoundedMap<string, Set<string>>
  private heldBytes = 0

  constructor (private readonly delayMs: number, private readonly maxPending: number, private readonly maxPendingBytes: number) {
    this.early = new BoundedMap(maxPending)
  }

  /** True when forwards are held back at all. */
  get enabled (): boolean {
    return this.delayMs > 0
  }

  /** Forwards held now. */
  get size (): number {
    return this.held.size
  }

  /** Neighbour `peer` has packet `key`: do not send it there. `seen`: this node has it too (nothing to remember unless held). */
  has (key: string, peer: string, seen: boolean): void {
    if (!this.enabled) return
    const held = this.held.get(key)
    if (held !== undefined) { held.except.add(peer); return }
    if (seen) return
    let set = this.early.get(key)
    if (set === undefined) {
      set = new Set()
      this.early.set(key, set)
    }
    set.add(peer)
  }

  /**
   * Hold the forward of `key` (which came from `from`): after the delay,
   * `flush` gets every neighbour known to have it. False, and nothing held,
   * when disabled or full (by count, or by `bytes`, the packet's size): then forward at once.
   */
  hold (key: string, from: string, bytes: number, flush: (except: Set<string>) => void): boolean {
    if (!this.enabled || this.held.size >= this.maxPending || this.heldBytes + bytes > this.maxPendingBytes) return false
    const except = this.early.get(key) ?? new Set<string>()
    this.early.delete(key)
    except.add(from)
    const timer = setTimeout(() => {
      this.held.delete(key)
      this.heldBytes -= bytes
      flush(except)
    }, this.delayMs)
    timer.unref?.()
    this.held.set(key, { except, timer, bytes })
    this.heldBytes += bytes
    return true
  }

  /** Drop everything held (nothing is sent). */
  close (): void {
    for (const { timer } of this.held.values()) clearTimeout(timer)
    this.held.clear()
    this.early.clear()
    this.heldBytes = 0
  }
}
