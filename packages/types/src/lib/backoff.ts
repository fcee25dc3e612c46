/**
 * The delay before retry number `attempt` (1 for the first retry):
 * `initialMs · 2^(attempt − 1)`, never more than `maxMs`.
 */
export function backoffDelay (attempt: number, initialMs: number, maxMs: number): number {
  // The exponent is capped so that a long run of failures never overflows to Infinity.
  return Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 40))
}
