import type { RpcLimits } from '@lume/rpc'
import type { BudgetBookInit } from '@lume/rpc/internal'

/** The budget and rate kinds the relay itself charges. */
export const RelayBudget = {
  /** Inbound connections: one unit each, per remote address and for the whole relay. */
  CONNECTIONS: 'relay.connections',
  /** A rate: dial-backs a peer's connections make the relay try (to check that the peer is a relay). */
  DIAL_BACKS: 'relay.dial-backs'
} as const

/** Defaults of the relay's own rate kinds (operators override them under `limits.rates`). */
export const DEFAULT_RELAY_RATES = {
  [RelayBudget.DIAL_BACKS]: { perPeer: { perSecond: 0.1, burst: 2 }, perAddress: { perSecond: 0.5, burst: 4 } }
} as const

/** Defaults of the relay's own budget kinds (operators override them under `limits.budgets`). */
export const DEFAULT_RELAY_BUDGETS = {
  [RelayBudget.CONNECTIONS]: { perPeer: 1, perAddress: 32, global: 2048 }
} as const

/** Past this share of V8's heap limit, new calls are answered `BUSY`. */
export const DEFAULT_MAX_HEAP_FRACTION = 0.85

/**
 * A relay's limits: the per-connection RPC limits, plus the budgets and
 * rates of the relay-wide book (by kind; see docs/protocol.md, "Limits").
 */
export interface RelayLimits extends Partial<RpcLimits> {
  /** Overrides of budget kinds, e.g. `{ 'relay.connections': { perAddress: 8 } }`. @default {} */
  budgets?: BudgetBookInit['budgets']
  /** Overrides of rate kinds, e.g. `{ 'registry.put': { perAddress: { perSecond: 5 } } }`. @default {} */
  rates?: BudgetBookInit['rates']
  /** New calls are answered `BUSY` while the JS heap is over this share of V8's limit (0–1; 1 disables). @default 0.85 */
  maxHeapFraction?: number
  /**
   * Addresses many users share that the operator trusts (the WebSocket
   * gateway's): each connection from them is charged as an address of its
   * own; global limits still apply. @default [] (plus 127.0.0.1 while the WebSocket endpoint runs)
   */
  trustedHosts?: readonly string[]
}

/** The book overrides implied by the per-connection RPC limits an operator set (they cap each peer). */
export function rpcBudgetOverrides (limits: RelayLimits): NonNullable<BudgetBookInit['budgets']> {
  const budgets: Record<string, Record<string, number>> = {}
  for (const [kind, perPeer] of [['rpc.calls', limits.maxInFlight], ['rpc.streams', limits.maxStreams]] as const) {
    if (perPeer !== undefined) budgets[kind] = { perPeer }
  }
  for (const [kind, override] of Object.entries(limits.budgets ?? {})) budgets[kind] = { ...budgets[kind], ...override }
  return budgets
}
