import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import type { UserConfig } from 'vite'

const require = createRequire(import.meta.url)

/**
 * The Vite settings a page using Lume in the browser needs (the browser
 * example and the microblog UI share them).
 */
export function browserViteConfig (): UserConfig {
  return {
    resolve: {
      // Workspace packages resolve to their sources (the lume-source condition), as in the tests.
      conditions: ['lume-source', 'browser', 'module', 'import', 'default'],
      // The Holepunch stack asks for sodium-native; in a page that is sodium-javascript
      // (sodium-universal's browser mapping, whose peer nobody installs for us).
      alias: { 'sodium-native': dirname(require.resolve('sodium-javascript/package.json', { paths: [process.cwd()] })) }
    },
    // Some Holepunch modules still say `global`.
    define: { global: 'globalThis' },
    build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4096 },
    logLevel: 'warn'
  }
}
