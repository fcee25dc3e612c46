import { toHex, type WireError } from '@lume/types'
import type { SignedAnswer } from '@lume/types'

/** One relay's part in a quorum query. */
export type Vote =
  | { relay: Uint8Array, ok: true, key: string, answer: SignedAnswer }
  | { relay: Uint8Array, ok: false, error: WireError }

/** The state of a quorum: answers grouped by what they say. */
export class QuorumTally {
  private readonly groups = new Map<string, Vote[]>()
  private readonly votes = new Map<string, Vote>()

  constructor (readonly quorum: number) {}

  /** Record a relay's vote (a relay votes once: a second vote is ignored). */
  add (vote: Vote): void {
    const relay = toHex(vote.relay)
    if (this.votes.has(relay)) return
    this.votes.set(relay, vote)
    if (!vote.ok) return
    const group = this.groups.get(vote.key) ?? []
    group.push(vote)
    this.groups.set(vote.key, group)
  }

  /** The group that reached the quorum, if any. */
  winner (): Vote[] | null {
    for (const group of this.groups.values()) if (group.length >= this.quorum) return group
    return null
  }

  /** Can any group still reach the quorum if the `pending` relays still out all agree with it? */
  stillPossible (pending: number): boolean {
    const largest = Math.max(0, ...[...this.groups.values()].map((g) => g.length))
    return largest + pending >= this.quorum
  }

  /** Every vote so far, for the error report. */
  all (): Vote[] {
    return [...this.votes.values()]
  }

  /** Sizes of the groups, largest first: how the relays split. */
  split (): number[] {
    return [...this.groups.values()].map((g) => g.length).sort((a, b) => b - a)
  }
}
