import { Protocol } from '@lume/types'

/** Version byte first in every request and response value. */
export const RPC_VERSION = 1

/** Response kinds (second byte of a response). */
export const ResponseKind = {
  /** A single answer follows. */
  OK: 0,
  /** A typed error follows (code ‖ message). */
  ERROR: 1,
  /** A stream was opened; its id follows; chunks are pulled with `$stream.next`. */
  STREAM: 2,
  /** The stream has no more chunks. */
  END: 3
} as const

/** Request flag bits. */
export const RequestFlag = {
  /** Ask the server to sign its answer. */
  SIGN: 1
} as const

/** Answer flag bits (first byte of an OK body). */
export const AnswerFlag = {
  /** A timestamp and a signature follow the body. */
  SIGNED: 1,
  /** The answer was signed by another relay (a cached answer): its key follows the proof. */
  SIGNER: 2
} as const

/** Methods the RPC layer itself serves on every connection. */
export const InternalMethod = {
  /** Liveness check; answers with nothing. */
  PING: '$rpc.ping',
  /** Pull the next chunk of a stream: body is the stream id. */
  STREAM_NEXT: '$stream.next',
  /** Cancel a stream: body is the stream id. */
  STREAM_CANCEL: '$stream.cancel'
} as const

/** Defaults for {@link RpcLimits}. */
export const DEFAULT_LIMITS = {
  maxRequestBytes: 1024 * 1024,
  maxResponseBytes: 8 * 1024 * 1024,
  maxInFlight: 128,
  handlerTimeoutMs: 30_000,
  callTimeoutMs: 10_000,
  streamIdleMs: 30_000,
  maxStreams: 32,
  maxPendingPulls: 8,
  keepAliveMs: 5_000,
  idleTimeoutMs: 15_000
} as const

/** The budget kinds the RPC layer itself charges (see `BudgetBook`). */
export const RpcBudget = {
  /** Calls being served, `$stream.next` pulls included. */
  CALLS: 'rpc.calls',
  /** Streams open. */
  STREAMS: 'rpc.streams'
} as const

/** Defaults of the RPC layer's budget kinds in a relay's `BudgetBook`. */
export const DEFAULT_BUDGETS = {
  [RpcBudget.CALLS]: { perPeer: DEFAULT_LIMITS.maxInFlight, perAddress: 512, global: 16_384 },
  [RpcBudget.STREAMS]: { perPeer: DEFAULT_LIMITS.maxStreams, perAddress: 128, global: 8192 }
} as const

/** The protomux protocol name of the RPC channel. */
export const RPC_PROTOCOL: string = Protocol.RPC

/** Method names: `module.method`, letters, digits, `_` and `-`. */
export const METHOD_NAME = /^[A-Za-z][\w-]{0,63}\.[A-Za-z][\w-]{0,63}$/
