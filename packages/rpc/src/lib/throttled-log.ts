import type { Logger } from '@lume/types'

/**
 * Logs a kind of event once, then at most once per `intervalMs` with the
 * number of repeats in between: a peer that floods bad requests must not
 * flood the log as well.
 */
export class ThrottledLog {
  private readonly last = new Map<string, { at: number, suppressed: number }>()

  constructor (private readonly logger: Logger, private readonly intervalMs = 10_000) {}

  warn (kind: string, fields: Record<string, unknown>, message: string): void {
    const now = Date.now()
    const seen = this.last.get(kind)
    if (seen !== undefined && now - seen.at < this.intervalMs) {
      seen.suppressed++
      return
    }
    const suppressed = seen?.suppressed ?? 0
    this.last.set(kind, { at: now, suppressed: 0 })
    this.logger.warn(suppressed > 0 ? { ...fields, suppressed } : fields, message)
  }
}
