import type { BudgetLimits, RateLimit, RateLimits } from '@lume/types'

/** The budget and rate kinds the registry declares (operators override them under `limits.budgets` / `limits.rates`). */
export const RegistryLimitKinds = {
  /** Open `registry.subscribe` streams (a budget: held while open). */
  subscriptions: 'registry.subscriptions',
  /** `registry.set` calls (a rate). */
  writes: 'registry.writes',
  /** `registry.get` calls for a key this relay lacks, which make it ask its neighbours (a rate). */
  pulls: 'registry.pulls'
} as const

/** Default limits of {@link RegistryLimitKinds}. */
export const RegistryLimitDefaults: {
  subscriptions: BudgetLimits
  writes: RateLimits
  pulls: RateLimits
  /** Entries taken from neighbours' direct answers, relay-wide. */
  offers: RateLimit
} = {
  subscriptions: { perPeer: 32, perAddress: 128, global: 50_000 },
  writes: { perPeer: { perSecond: 20, burst: 50 }, perAddress: { perSecond: 50, burst: 100 } },
  pulls: { perPeer: { perSecond: 10, burst: 20 }, perAddress: { perSecond: 20, burst: 40 } },
  offers: { perSecond: 200, burst: 400 }
}
