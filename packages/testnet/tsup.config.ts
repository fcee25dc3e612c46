import { defineConfig } from 'tsup'
import { libraryConfig } from '../../scripts/tsup.base.ts'

export default defineConfig(libraryConfig({
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    // Spawned by the process harness as a file of its own.
    'peer-process': 'src/lib/peer-process.ts'
  },
  dtsEntry: { index: 'src/index.ts' }
}))
