import { defineConfig } from 'tsup'
import { libraryConfig } from '../../scripts/tsup.base.ts'

export default defineConfig(libraryConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node/index.ts',
    'relay-plugin': 'src/relay-plugin.ts',
    // The two AEAD backends, chosen by the package.json "imports" map.
    'aead-sodium': 'src/lib/aead-sodium.ts',
    'aead-noble': 'src/lib/aead-noble.ts'
  },
  dtsEntry: { index: 'src/index.ts', node: 'src/node/index.ts', 'relay-plugin': 'src/relay-plugin.ts' },
  external: ['#aead']
}))
