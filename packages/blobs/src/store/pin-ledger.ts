import { ErrorCode, LumeError } from '@lume/types'
import { MIN_CHARGE_BYTES } from '../lib/constants.js'

/** Limits a store enforces when a blob is pinned. */
export interface PinLimits {
  /** Bytes one owner key may have pinned. */
  perKeyBytes: number
  /** Bytes all owners together may have pinned on this relay. */
  maxPinnedBytes: number
  /** Owners one blob may carry pins of (its pin list is kept in memory and rewritten on each pin). @default no cap */
  maxPinsPerBlob?: number
}

/** What a blob counts for in quotas and the cache: its size, but at least a file-system block (its files cost that much). */
export function charge (size: number): number {
  return Math.max(size, MIN_CHARGE_BYTES)
}

/** Bytes pinned, per owner key (hex) and in all. */
export class PinLedger {
  private readonly usage = new Map<string, number>()
  private total = 0

  /** Bytes pinned by all owners. */
  get pinned (): number {
    return this.total
  }

  /** Bytes `ownerKey` has pinned. */
  usedBy (ownerKey: string): number {
    return this.usage.get(ownerKey) ?? 0
  }

  /** Count `bytes` for `ownerKey`; `QUOTA_EXCEEDED` (and nothing counted) past `limits`. */
  reserve (ownerKey: string, bytes: number, limits: PinLimits): void {
    const used = this.usedBy(ownerKey)
    if (used + bytes > limits.perKeyBytes) {
      throw new LumeError(ErrorCode.QUOTA_EXCEEDED, `this key may pin ${limits.perKeyBytes} bytes here and has ${used}`, { details: { scope: 'key', used, limit: limits.perKeyBytes } })
    }
    if (this.total + bytes > limits.maxPinnedBytes) {
      throw new LumeError(ErrorCode.QUOTA_EXCEEDED, `this relay pins at most ${limits.maxPinnedBytes} bytes`, { details: { scope: 'relay', limit: limits.maxPinnedBytes } })
    }
    this.add(ownerKey, bytes)
  }

  /** Count `bytes` for `ownerKey` whatever the limits (pins found on disk at start). */
  add (ownerKey: string, bytes: number): void {
    this.usage.set(ownerKey, this.usedBy(ownerKey) + bytes)
    this.total += bytes
  }

  /** Stop counting `bytes` for `ownerKey`. */
  release (ownerKey: string, bytes: number): void {
    const left = this.usedBy(ownerKey) - bytes
    if (left <= 0) this.usage.delete(ownerKey)
    else this.usage.set(ownerKey, left)
    this.total -= bytes
  }
}
