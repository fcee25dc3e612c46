import { loadSimdKernel, type SimdKernel } from './simd.js'

/** The BLAKE3 kernels: WebAssembly SIMD, and the pure TypeScript one (the fallback). */
export type KernelName = 'wasm-simd' | 'js'

let preferred: KernelName = 'wasm-simd'
// undefined: not loaded yet (loaded on first use, not at import).
let simd: SimdKernel | null | undefined

/** The SIMD kernel when it is available and preferred; null means the TypeScript kernel. */
export function simdKernel (): SimdKernel | null {
  if (preferred !== 'wasm-simd') return null
  if (simd === undefined) simd = loadSimdKernel((kernel) => { simd = kernel })
  return simd
}

/** The kernel hashing now: `wasm-simd` where WebAssembly SIMD is available, else `js`. */
export function activeKernel (): KernelName {
  return simdKernel() === null ? 'js' : 'wasm-simd'
}

/**
 * Choose the kernel (for tests and benchmarks: both give the same hashes).
 * `js` forces the TypeScript kernel; `wasm-simd` (the default) uses SIMD where
 * available. Returns the kernel now active.
 */
export function useKernel (name: KernelName): KernelName {
  preferred = name
  return activeKernel()
}
