import { defineConfig } from 'tsup'
import { libraryConfig } from '../../scripts/tsup.base.ts'

export default defineConfig({
  ...libraryConfig({ entry: { cli: 'src/cli.ts', demo: 'src/demo.ts', 'relay-plugin': 'src/relay-plugin.ts' } }),
  dts: false
})
