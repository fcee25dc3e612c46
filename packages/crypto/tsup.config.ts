import { defineConfig } from 'tsup'
import { libraryConfig } from '../../scripts/tsup.base.ts'

export default defineConfig(libraryConfig({
  entry: {
    index: 'src/index.ts',
    // The two ed25519 backends, chosen by the package.json "imports" map.
    'ed25519-sodium': 'src/lib/ed25519-sodium.ts',
    'ed25519-noble': 'src/lib/ed25519-noble.ts'
  },
  dtsEntry: { index: 'src/index.ts' },
  external: ['#ed25519']
}))
