import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { assemble, GENERATED_PATH, generatedSource, WAT_PATH } from '../scripts/build-wasm.js'

describe('the inlined SIMD kernel', () => {
  it('is exactly what src/wasm/blake3-simd.wat assembles to (run `pnpm build:wasm` after editing it)', async () => {
    const bytes = await assemble(readFileSync(WAT_PATH, 'utf8'))
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(generatedSource(bytes))
  })
})
