import { defaultClientConditions, defineConfig } from 'vite'

// A plain config, as an app would have: no aliases, no defines.
export default defineConfig({
  resolve: { conditions: ['lume-source', ...defaultClientConditions] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  logLevel: 'warn'
})
