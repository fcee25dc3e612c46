import { defineConfig } from 'tsup'
import { libraryConfig } from '../../scripts/tsup.base.ts'

export default defineConfig(libraryConfig({ entry: { index: 'src/index.ts', signed: 'src/signed.ts', core: 'src/core.ts', internal: 'src/internal.ts' } }))
