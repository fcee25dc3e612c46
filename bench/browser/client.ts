// The client code the browser bench runs, in a page and in Node alike: the
// same functions over the same transport, so the two can be compared.
import { RpcConnection, type FramedStream } from '@lume/rpc'
import { CoreMethods } from '@lume/rpc/core'
import { stringCodec } from '@lume/types'

/** The bench relay's echo method. */
export const echo = { name: 'bench.echo', request: stringCodec, response: stringCodec }

/** Open RPC on a stream and wait for the first verified (signed) answer; ms from `started`. */
export async function firstVerifiedAnswer (stream: FramedStream, started: number): Promise<{ ms: number, conn: RpcConnection }> {
  const conn = RpcConnection.open(stream)
  await conn.callSigned(CoreMethods.info, null)
  return { ms: performance.now() - started, conn }
}

/** Calls per second over one connection, `inFlight` at a time. */
export async function callsPerSecond (conn: RpcConnection, signed: boolean, total: number, inFlight: number): Promise<number> {
  let next = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next++ < total) {
      if (signed) await conn.callSigned(echo, 'ping')
      else await conn.call(echo, 'ping')
    }
  }))
  return total / ((performance.now() - started) / 1000)
}
