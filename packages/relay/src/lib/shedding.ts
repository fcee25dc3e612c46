/**
 * At the relay's connection cap, which connection to close so a newcomer
 * from `host` can get in: the newest of the address holding the most, if
 * that address would still hold more than the newcomer's after the swap
 * (the offender goes first; an honest address is never evicted for another).
 * `held(host)` is how many connections an address holds; null: refuse the newcomer.
 */
export function chooseVictim<C extends { remoteHost: string }> (inbound: Iterable<C>, host: string, held: (host: string) => number): C | null {
  let top: string | null = null
  let newest: C | null = null
  for (const conn of inbound) {
    if (top === null || held(conn.remoteHost) > held(top)) top = conn.remoteHost
  }
  if (top === null || top === host || held(top) <= held(host) + 1) return null
  for (const conn of inbound) if (conn.remoteHost === top) newest = conn
  return newest
}
