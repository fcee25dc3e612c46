import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { defineConfig } from 'vite'

const require = createRequire(import.meta.url)

export default defineConfig({
  resolve: {
    // Workspace packages resolve to their sources (the lume-source condition), as in the tests.
    conditions: ['lume-source', 'browser', 'module', 'import', 'default'],
    // The Holepunch stack asks for sodium-native; in a page that is sodium-javascript
    // (sodium-universal's browser mapping, whose peer nobody installs for us).
    alias: { 'sodium-native': dirname(require.resolve('sodium-javascript/package.json')) }
  },
  // Some Holepunch modules still say `global`.
  define: { global: 'globalThis' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4096 },
  logLevel: 'warn'
})
