import { afterEach, describe, expect, it, vi } from 'vitest'
import { activeKernel, hash, useKernel } from '../src/index.js'
import { loadSimdKernel } from '../src/lib/simd.js'

afterEach(() => { vi.unstubAllGlobals(); useKernel('wasm-simd') })

describe('kernel selection at run time', () => {
  it('uses WebAssembly SIMD where available (Node 20 has it)', () => {
    expect(activeKernel()).toBe('wasm-simd')
  })

  it('falls back to TypeScript without WebAssembly, or without its SIMD', () => {
    vi.stubGlobal('WebAssembly', undefined)
    expect(loadSimdKernel(() => {})).toBeNull()
    vi.unstubAllGlobals()
    vi.stubGlobal('WebAssembly', { ...WebAssembly, validate: () => false })
    expect(loadSimdKernel(() => {})).toBeNull()
  })

  it('compiles asynchronously where synchronous compilation is refused (a browser main thread)', async () => {
    const Real = WebAssembly
    vi.stubGlobal('WebAssembly', { ...Real, validate: Real.validate, instantiate: Real.instantiate, Module: function () { throw new RangeError('WebAssembly.Module(): buffer size is larger than 4 KB') } })
    const later = await new Promise<unknown>((resolve) => { expect(loadSimdKernel(resolve)).toBeNull() })
    expect(later).not.toBeNull()
  })

  it('both kernels give the same hashes', () => {
    const data = Uint8Array.from({ length: 300_001 }, (_, i) => (i * 31) >>> 3)
    const simd = hash(data)
    expect(useKernel('js')).toBe('js')
    expect(Buffer.from(hash(data)).toString('hex')).toBe(Buffer.from(simd).toString('hex'))
  })
})
