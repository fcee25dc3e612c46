import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { RegistryMethods } from '@lume/registry'
import { ErrorCode, decode, encode } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { responseEnvelope, ResponseKind } from '@lume/rpc/internal'
import { Arena } from '../src/arena.js'
import { HostilePeer } from '../src/hostile-peer.js'

function errorCode (raw: Uint8Array): string | null {
  const envelope = decode(responseEnvelope, raw)
  return envelope.kind === ResponseKind.ERROR ? envelope.error.code : null
}

describe('garbage and oversize frames', () => {
  let arena: Arena | null = null
  afterEach(async () => { await arena?.close(); arena = null })

  it('answers garbage request values with typed errors and closes streams that send garbage frames', async () => {
    arena = await Arena.open()
    const peer = await HostilePeer.connect(arena.attacker, arena.relayKey)
    const methods = ['registry.get', 'registry.set', 'registry.subscribe', 'cache.get', 'core.info', '$stream.next', '$stream.cancel', 'no.such']
    const answers = await Promise.all(Array.from({ length: 2_000 }, async (_, i) => {
      const method = methods[i % methods.length] as string
      const value = randomBytes(i % 97)
      return await peer.request(method, value).then((raw) => raw, (err: Error) => err)
    }))
    // Every one answered (protomux-rpc errors for unknown names), none crashed the relay.
    expect(answers).toHaveLength(2_000)
    expect(arena.relay.alive).toBe(true)
    // A request above the size limit: TOO_LARGE, not a crash.
    const huge = HostilePeer.envelope(randomBytes(2 * 1024 * 1024))
    const tooLarge = await peer.request('registry.set', huge).then(errorCode, () => 'closed')
    expect([ErrorCode.TOO_LARGE, 'closed']).toContain(tooLarge)
    // Raw garbage below the RPC layer (not a Protomux frame): the relay drops that connection.
    const bad = await HostilePeer.connect(arena.attacker, arena.relayKey)
    const closed = new Promise<void>((resolve) => bad.socket.once('close', () => resolve()))
    for (let i = 0; i < 50; i++) bad.socket.write(randomBytes(1 + i * 37))
    await closed
    await bad.destroy()
    await peer.destroy()
    const verdict = await arena.verdict('garbage and oversize frames')
    expect(Arena.broken(verdict)).toEqual([])
  })
})

describe('registry.pin (issue 5)', () => {
  let arena: Arena | null = null
  afterEach(async () => { await arena?.close(); arena = null })

  it('refuses registry.pin from an unauthorized peer with FORBIDDEN', async () => {
    arena = await Arena.open()
    const peer = await HostilePeer.connect(arena.attacker, arena.relayKey)
    const codes = await Promise.all(Array.from({ length: 50 }, async () => {
      const pk = new Uint8Array(33)
      pk[0] = 0xed
      pk.set(generateKeyPair().publicKey, 1)
      const raw = await peer.request(RegistryMethods.pin.name, HostilePeer.envelope(encode(RegistryMethods.pin.request, pk)))
      return errorCode(raw)
    }))
    await peer.destroy()
    expect(new Set(codes)).toEqual(new Set([ErrorCode.FORBIDDEN]))
    expect(Arena.broken(await arena.verdict('registry.pin unauthorized'))).toEqual([])
  })
})
