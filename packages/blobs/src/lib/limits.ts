import type { BudgetLimits, RateLimits } from '@lume/types'

/** The budget and rate kinds the blobs plugin declares (operators override them under `limits.budgets` / `limits.rates`). */
export const BlobLimitKinds = {
  /** Uploads open at once (a budget: held until finished, aborted, idle too long, or the connection closes). */
  uploads: 'blobs.uploads',
  /** Bytes of uploads in flight, charged in full at `blobs.begin` (a budget). */
  uploadBytes: 'blobs.upload-bytes',
  /** `blobs.read` calls (a rate). */
  reads: 'blobs.reads',
  /** Bytes of `blobs.read` answers being prepared or paced, plus each one's outboard (a budget, held until the answer is handed to the transport). */
  readBytes: 'blobs.read-bytes',
  /** `blobs.fetch` calls that make the relay download from other relays (a budget while running). */
  /**
   * Bytes stored and pinned, spent at `blobs.begin` (the declared size) and
   * `blobs.pin` (a rate: keys are free, addresses are not, so one address
   * cannot fill the relay's pins at will). Its burst must be at least the
   * largest blob.
   */
  pinBytes: 'blobs.pin-bytes',
  fetches: 'blobs.fetches'
} as const

/** Default limits of {@link BlobLimitKinds}. */
export const BlobLimitDefaults: {
  uploads: BudgetLimits
  uploadBytes: BudgetLimits
  reads: RateLimits
  readBytes: BudgetLimits
  pinBytes: RateLimits
  fetches: BudgetLimits
} = {
  uploads: { perPeer: 4, perAddress: 16, global: 256 },
  uploadBytes: { perPeer: 256 * 1024 * 1024, perAddress: 512 * 1024 * 1024, global: 2 * 1024 * 1024 * 1024 },
  reads: { perPeer: { perSecond: 200, burst: 400 }, perAddress: { perSecond: 400, burst: 800 } },
  readBytes: { perPeer: 16 * 1024 * 1024, perAddress: 64 * 1024 * 1024, global: 256 * 1024 * 1024 },
  pinBytes: { perPeer: { perSecond: 64 * 1024, burst: 256 * 1024 * 1024 }, perAddress: { perSecond: 64 * 1024, burst: 256 * 1024 * 1024 } },
  fetches: { perPeer: 1, perAddress: 2, global: 4 }
}
