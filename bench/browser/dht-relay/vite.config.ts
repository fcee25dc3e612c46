import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { defaultClientConditions, defineConfig } from 'vite'

const require = createRequire(import.meta.url)

// What the dht-relay path needs in a page (and why it is not the default
// path any more): sodium-native aliased and `global` defined.
export default defineConfig({
  resolve: {
    conditions: ['lume-source', ...defaultClientConditions],
    alias: { 'sodium-native': dirname(require.resolve('sodium-javascript/package.json')) }
  },
  define: { global: 'globalThis' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  logLevel: 'warn'
})
