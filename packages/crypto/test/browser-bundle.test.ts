import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL, fileURLToPath } from 'node:url'
import { bundleForBrowser } from '../../../scripts/test-helpers/browser-bundle.ts'
import { describe, expect, it } from 'vitest'
import { backend as sodium } from '../src/lib/ed25519-sodium.js'

// What a browser bundler (Vite, esbuild) makes of @lume/crypto: it must pick
// the noble backend through the "#ed25519" import condition and pull in no
// node: module and no native addon.
describe('browser bundle', () => {
  it('has no node: imports, no sodium-native, and signs like the Node backend', async () => {
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url))
    const { code, inputs, nodeImports } = await bundleForBrowser(entry)
    expect(inputs.some((i) => i.includes('ed25519-noble'))).toBe(true)
    expect(inputs.some((i) => i.includes('sodium'))).toBe(false)
    expect(nodeImports).toEqual([])

    // Run the browser bundle and check its signatures against libsodium.
    const dir = await mkdtemp(join(tmpdir(), 'lume-bundle-'))
    try {
      const file = join(dir, 'bundle.mjs')
      await writeFile(file, code)
      const lib = await import(pathToFileURL(file).href) as typeof import('../src/index.js')
      expect(lib.ed25519BackendName).toBe('@noble/curves')
      const keys = lib.keyPairFromSeed(new Uint8Array(32).fill(1))
      const message = new Uint8Array([1, 2, 3])
      const signature = lib.sign('ctx', message, keys.secretKey)
      expect(sodium.verify(signature, lib.signedBytes('ctx', message), keys.publicKey)).toBe(true)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
