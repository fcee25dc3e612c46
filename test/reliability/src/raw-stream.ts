import { RegistryMethods } from '@lume/registry'
import { InternalMethod, ResponseKind, responseEnvelope } from '@lume/rpc/internal'
import { decode, encode, uintCodec } from '@lume/types'
import type { KeyPair } from '@lume/crypto'
import { HostilePeer } from './hostile-peer.js'

/** The answer to a raw `registry.subscribe`: a stream id, or the error code it was refused with. */
export type Opened = { streamId: number } | { error: string }

/** `registry.subscribe` for the key of `owner`, by hand. */
export async function rawSubscribe (peer: HostilePeer, owner: KeyPair): Promise<Opened> {
  const pk = new Uint8Array(33)
  pk[0] = 0xed
  pk.set(owner.publicKey, 1)
  const raw = await peer.request(RegistryMethods.subscribe.name, HostilePeer.envelope(encode(RegistryMethods.subscribe.request, { pk, since: -1 })))
  const envelope = decode(responseEnvelope, raw)
  if (envelope.kind === ResponseKind.STREAM) return { streamId: envelope.streamId }
  if (envelope.kind === ResponseKind.ERROR) return { error: envelope.error.code }
  throw new Error(`unexpected answer kind ${envelope.kind}`)
}

/** Send one `$stream.next` for `streamId` without waiting for it (no client-side timer either). */
export function rawPull (peer: HostilePeer, streamId: number): Promise<Uint8Array> {
  const pull = peer.rpc.request(InternalMethod.STREAM_NEXT, encode(uintCodec, streamId))
  pull.catch(() => {})
  return pull
}

/** Send `$stream.cancel` for `streamId` and wait for its answer. */
export async function rawCancel (peer: HostilePeer, streamId: number): Promise<void> {
  await peer.request(InternalMethod.STREAM_CANCEL, encode(uintCodec, streamId))
}

/** The error code of a raw response, or null for any other answer. */
export function errorCodeOf (raw: Uint8Array): string | null {
  const envelope = decode(responseEnvelope, raw)
  return envelope.kind === ResponseKind.ERROR ? envelope.error.code : null
}
