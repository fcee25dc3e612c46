import { afterEach, describe, expect, it, vi } from 'vitest'
import { activeKernel, BaoDecoder, hash, outboard, useKernel } from '../src/index.js'
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

  it('a decoder holding batched nodes when the kernel is switched still checks them', () => {
    const data = Uint8Array.from({ length: 50_000 }, (_, i) => (i * 13) >>> 2)
    const ob = outboard(data)
    // The outboard's parents down to the first chunk are batched when the decoder is made.
    const decoder = new BaoDecoder(ob.hash, { outboard: ob.bytes })
    useKernel('js')
    const out = decoder.push(data)
    decoder.finish()
    expect(Buffer.concat(out).equals(Buffer.from(data))).toBe(true)
    useKernel('wasm-simd')
    const bad = Uint8Array.from(ob.bytes)
    bad[8 + 64 + 5]! ^= 1
    const failing = new BaoDecoder(ob.hash, { outboard: bad })
    useKernel('js')
    expect(failing.push(data)).toEqual([])
    expect(failing.error).toMatchObject({ code: 'HASH_MISMATCH', details: { node: 'parent node' } })
  })

  it('both kernels give the same hashes', () => {
    const data = Uint8Array.from({ length: 300_001 }, (_, i) => (i * 31) >>> 3)
    const simd = hash(data)
    expect(useKernel('js')).toBe('js')
    expect(Buffer.from(hash(data)).toString('hex')).toBe(Buffer.from(simd).toString('hex'))
  })
})
