import type { MethodRegistry, RpcConnection } from '@lume/rpc'
import { CoreMethods, type BroadcastEntry, type RelayInfo } from '@lume/rpc/core'
import { rawBytesCodec } from '@lume/rpc/internal'
import { ErrorCode, LumeError, toHex } from '@lume/types'

/** What the built-in methods need from the relay. */
export interface CoreContext {
  version: string
  publicKey: Uint8Array
  methods: MethodRegistry
  pluginNames: () => string[]
  connect: (publicKey: Uint8Array, timeoutMs: number) => Promise<RpcConnection>
}

/** Longest a broadcast may wait for one relay. */
const MAX_BROADCAST_TIMEOUT_MS = 30_000

/** Register `core.ping`, `core.info` and `rpc.broadcast`. */
export function registerCoreMethods (ctx: CoreContext): void {
  ctx.methods.register({ ...CoreMethods.ping, handler: () => Date.now() })
  ctx.methods.register({
    ...CoreMethods.info,
    handler: (): RelayInfo => ({
      version: ctx.version,
      publicKey: toHex(ctx.publicKey),
      plugins: ctx.pluginNames(),
      methods: ctx.methods.names()
    })
  })
  ctx.methods.register({
    ...CoreMethods.broadcast,
    handler: async (request, call) => {
      if (request.method === CoreMethods.broadcast.name) throw LumeError.invalidArgument('rpc.broadcast cannot forward rpc.broadcast')
      const timeoutMs = Math.min(Math.max(request.timeoutMs, 1), MAX_BROADCAST_TIMEOUT_MS)
      const spec = { name: request.method, request: rawBytesCodec, response: rawBytesCodec }
      // Every relay is asked at once; each answer is awaited (with its own deadline).
      return await Promise.all(request.relays.map(async (relay): Promise<BroadcastEntry> => {
        try {
          const conn = await ctx.connect(relay, timeoutMs)
          const { answer } = await conn.callSigned(spec, request.body, { timeoutMs, signal: call.signal })
          return { relay, ok: true, body: answer.body, signature: { timestamp: answer.timestamp, signature: answer.signature, proof: answer.proof } }
        } catch (err) {
          const e = LumeError.isInstance(err) ? err : new LumeError(ErrorCode.REMOTE_ERROR, String(err))
          return { relay, ok: false, error: { code: e.code, message: e.message } }
        }
      }))
    }
  })
}
