import { ErrorCode } from '@lume/types'
import type { RequestObserver } from './serve.js'

/** protomux-rpc's request message, as protomux exposes it (`m.onmessage` is protomux's public, settable handler). */
interface RequestMessage {
  onmessage: (request: { method?: unknown }, session: unknown) => unknown
}

/** The parts of a Protomux instance read here: its channels and their messages (public fields). */
interface MuxView {
  getLastChannel?: (options: { protocol: string }) => { messages?: RequestMessage[] } | null
}

/**
 * Report calls to methods this side does not serve to `observe` (as
 * `UNKNOWN_METHOD`, 0 ms). protomux-rpc answers those itself, so they never
 * reach the serving code: the observer sees them on the channel's request
 * message (the first message protomux-rpc declares), before protomux-rpc
 * answers. `serves` says whether a name is served (then it is observed
 * where it is served). Does nothing if the channel is not found.
 */
export function observeUnknownMethods (mux: unknown, protocol: string, serves: (method: string) => boolean, observe: RequestObserver): void {
  const channel = (mux as MuxView).getLastChannel?.({ protocol })
  const request = channel?.messages?.[0]
  if (request === undefined || typeof request.onmessage !== 'function') return
  const answer = request.onmessage
  request.onmessage = (message, session) => {
    if (typeof message?.method === 'string' && !serves(message.method)) observe(message.method, ErrorCode.UNKNOWN_METHOD, 0)
    return answer(message, session)
  }
}
