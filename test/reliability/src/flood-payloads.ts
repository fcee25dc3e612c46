import c from 'compact-encoding'
import { generateKeyPair, type KeyPair } from '@lume/crypto'
import { serializeEntry, signEntry } from '@lume/registry'

/**
 * A registry flood message (`registry/v1`, docs/protocol.md): type 0 entry,
 * 1 want, 2 have. Written out here (the registry does not export its
 * encoder) so a test can send what no honest relay would: a "have" nobody wanted.
 */
export function registryFloodPayload (type: 0 | 1 | 2, body: Uint8Array): Uint8Array {
  const state = { start: 0, end: 0, buffer: new Uint8Array(0) }
  c.string.preencode(state, 'registry/v1')
  state.end++
  c.uint8array.preencode(state, body)
  state.buffer = new Uint8Array(state.end)
  c.string.encode(state, 'registry/v1')
  c.uint8.encode(state, type)
  c.uint8array.encode(state, body)
  return state.buffer
}

/** A valid registry entry (serialized) for a fresh key, and that key. */
export function freshEntry (revision = 1): { keyPair: KeyPair, bytes: Uint8Array } {
  const keyPair = generateKeyPair()
  return { keyPair, bytes: serializeEntry(signEntry(keyPair, revision, new TextEncoder().encode('not asked for'))) }
}
