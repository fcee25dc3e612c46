import { describe, expect, it } from 'vitest'
import { formatAddresses, parseAddress, parseAddresses } from '../src/index.js'

describe('host:port addresses, parsed in one place', () => {
  it('parses and formats back, IPv6 in brackets', () => {
    const list = ['127.0.0.1:49737', 'relay.example:8080', '[::1]:9000']
    const parsed = parseAddresses(list)
    expect(parsed).toEqual([{ host: '127.0.0.1', port: 49737 }, { host: 'relay.example', port: 8080 }, { host: '::1', port: 9000 }])
    expect(formatAddresses(parsed)).toEqual(list)
  })

  it('names the entry it cannot read', () => {
    for (const bad of ['127.0.0.1', ':8080', 'host:', 'host:0', 'host:65536', 'host:12ab', 'host:1.5', '[]:80']) {
      expect(() => parseAddress(bad), bad).toThrow(new RangeError(`an address must be host:port, got "${bad}"`))
    }
  })
})
