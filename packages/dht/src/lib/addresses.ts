import type { Address } from './types.js'

/**
 * Parse one `host:port` (IPv6 hosts in brackets or bare: the port is what
 * follows the last colon). Throws a RangeError naming the entry when the host
 * is empty or the port is not 1–65535.
 */
export function parseAddress (entry: string): Address {
  const i = entry.lastIndexOf(':')
  const port = Number(entry.slice(i + 1))
  const host = entry.slice(0, i).replace(/^\[(.*)\]$/, '$1')
  if (i <= 0 || host === '' || !/^\d+$/.test(entry.slice(i + 1)) || port < 1 || port > 65535) {
    throw new RangeError(`an address must be host:port, got "${entry}"`)
  }
  return { host, port }
}

/** Parse `host:port` strings (a bootstrap list, say) into addresses. */
export function parseAddresses (list: readonly string[]): Address[] {
  return list.map(parseAddress)
}

/** Format addresses as `host:port` for config files and command lines. */
export function formatAddresses (addresses: readonly Address[]): string[] {
  return addresses.map((a) => `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`)
}
