import { defineConfig } from 'tsup'
import { libraryConfig } from '../../scripts/tsup.base.ts'

export default defineConfig(libraryConfig({
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    // Forked by the relay as a process of its own.
    'ws-gateway-process': 'src/lib/ws-gateway-process.ts'
  },
  dtsEntry: { index: 'src/index.ts' }
}))
