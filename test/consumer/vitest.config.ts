import { defineConfig } from 'vitest/config'
import { projectConfig } from '../../scripts/vitest.base.ts'

const base = projectConfig('consumer')

// One build, one publish, one install for the whole file: its hooks get minutes, not seconds.
export default defineConfig({ ...base, test: { ...base.test, hookTimeout: 600_000, testTimeout: 120_000 } })
