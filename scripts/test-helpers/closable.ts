// The lifecycle contract every resource keeps, as one check tests reuse.
import { expect } from 'vitest'

/**
 * `close()` twice at once, then once more after: every call settles, none
 * before the first (which settles once the resource is released), and none
 * throws. `released` (optional) checks what the resource holds is gone.
 */
export async function expectIdempotentClose (resource: { close (): Promise<unknown> }, released?: () => boolean | Promise<boolean>): Promise<void> {
  let firstSettled = false
  const first = resource.close().finally(() => { firstSettled = true })
  const second = resource.close()
  await second
  expect(firstSettled, 'a second, concurrent close() settled before the first one: before the resource was released').toBe(true)
  await first
  if (released !== undefined) expect(await released(), 'close() settled before the resource was released').toBe(true)
  await resource.close()
}
