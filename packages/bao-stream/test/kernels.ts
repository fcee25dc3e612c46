import { afterAll, beforeAll, describe, expect } from 'vitest'
import { useKernel, type KernelName } from '../src/index.js'

/** Both BLAKE3 kernels: every correctness suite runs on each. */
export const KERNELS: KernelName[] = ['wasm-simd', 'js']

/** Register `body`'s tests once per kernel, with that kernel active while they run. */
export function forEachKernel (body: () => void): void {
  describe.each(KERNELS)('%s kernel', (kernel) => {
    beforeAll(() => { expect(useKernel(kernel)).toBe(kernel) })
    afterAll(() => { useKernel('wasm-simd') })
    body()
  })
}
