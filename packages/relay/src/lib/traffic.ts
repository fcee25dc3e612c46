/** Bytes a connection (or all of them) received and sent on the wire. */
export interface ByteCounts {
  received: number
  sent: number
}

/**
 * Bytes in and out over every connection: open ones are read when asked,
 * closed ones are folded into running totals (so the totals never go down).
 */
export class TrafficMeter {
  private readonly open = new Set<() => ByteCounts>()
  private readonly done: ByteCounts = { received: 0, sent: 0 }

  /** Count a connection's bytes until the returned function is called (when it closes). */
  track (read: () => ByteCounts): () => void {
    this.open.add(read)
    let released = false
    return () => {
      if (released) return
      released = true
      this.open.delete(read)
      const last = read()
      this.done.received += last.received
      this.done.sent += last.sent
    }
  }

  /** Bytes received and sent so far, over closed and open connections. */
  totals (): ByteCounts {
    let { received, sent } = this.done
    for (const read of this.open) {
      const now = read()
      received += now.received
      sent += now.sent
    }
    return { received, sent }
  }
}

/** The byte counters of a UDX stream (a HyperDHT connection's raw stream), when it has them. */
export function udxCounters (raw: unknown): (() => ByteCounts) | null {
  const stream = raw as { bytesReceived?: unknown, bytesTransmitted?: unknown } | null | undefined
  if (typeof stream?.bytesReceived !== 'number' || typeof stream.bytesTransmitted !== 'number') return null
  return () => ({ received: Number(stream.bytesReceived), sent: Number(stream.bytesTransmitted) })
}
