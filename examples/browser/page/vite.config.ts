import { defaultClientConditions, defineConfig } from 'vite'

// Nothing Lume-specific: no aliases, no defines. Inside this repository the
// workspace packages resolve to their sources (lume-source); an app outside
// it uses the installed packages' builds the same way.
export default defineConfig({
  resolve: { conditions: ['lume-source', ...defaultClientConditions] },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4096 },
  logLevel: 'warn'
})
