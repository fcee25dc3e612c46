import { describe, expect, it } from 'vitest'
import { loadConfig } from '@lume/cfg'
import { flattenKinds, relayConfigSchema } from '../src/lib/config.js'

describe('limits in the relay config', () => {
  const load = async (argv: string[], env: Record<string, string> = {}): Promise<Awaited<ReturnType<typeof loadConfig<typeof relayConfigSchema>>>> =>
    await loadConfig({ schema: relayConfigSchema, dir: new URL('./fixtures/no-config', import.meta.url).pathname, env, argv })

  it('takes dotted kinds from flags and environment variables (split into levels) and joins them again', async () => {
    const cfg = await load(['--limits.budgets.relay.connections.global=5', '--limits.budgets.subs.perPeer=2', '--limits.rates.registry.put.perAddress.burst=3'], { LUME_LIMITS__BUDGETS__RPC__CALLS__PER_ADDRESS: '7' })
    expect(flattenKinds(cfg.value.limits.budgets, ['perPeer', 'perAddress', 'global'])).toEqual({
      'relay.connections': { global: 5 },
      'rpc.calls': { perAddress: 7 },
      subs: { perPeer: 2 }
    })
    expect(flattenKinds(cfg.value.limits.rates, ['perPeer', 'perAddress'])).toEqual({ 'registry.put': { perAddress: { burst: 3 } } })
  })

  it('refuses a limit that is not a number, naming the key', async () => {
    await expect(load(['--limits.budgets.relay.connections.global=lots'])).rejects.toThrow(/limits\.budgets\.relay\.connections\.global/)
  })
})
