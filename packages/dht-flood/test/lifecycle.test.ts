import { describe, expect, it } from 'vitest'
import { generateKeyPair } from '@lume/crypto'
import { Flood } from '../src/index.js'

describe('Flood lifecycle', () => {
  it('close() returns a promise, is idempotent, and the same one each time', async () => {
    const flood = new Flood({ keyPair: generateKeyPair() })
    const first = flood.close()
    expect(first).toBeInstanceOf(Promise)
    expect(flood.close()).toBe(first)
    await first
    await flood.close()
  })

  it('names neighbour events as the relay does: peer:connect and peer:disconnect', async () => {
    const flood = new Flood({ keyPair: generateKeyPair() })
    const seen: string[] = []
    flood.on('peer:connect', () => seen.push('connect'))
    flood.on('peer:disconnect', () => seen.push('disconnect'))
    const remove = flood.addPeer(generateKeyPair().publicKey, { packet: () => true, direct: () => true })
    remove()
    expect(seen).toEqual(['connect', 'disconnect'])
    await flood.close()
  })

  it('signs with a signer that holds the key elsewhere (a relay\'s api.sign)', async () => {
    const keyPair = generateKeyPair()
    const { sign } = await import('@lume/crypto')
    let calls = 0
    const flood = new Flood({ keyPair: { publicKey: keyPair.publicKey, sign: (context, message) => { calls++; return sign(context, message, keyPair.secretKey) } } })
    expect(flood.publicKey).toEqual(keyPair.publicKey)
    flood.broadcast(new TextEncoder().encode('hi'))
    expect(calls).toBe(1)
    await flood.close()
  })
})
