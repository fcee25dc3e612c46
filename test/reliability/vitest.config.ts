import { defineConfig } from 'vitest/config'
import { projectConfig } from '../../scripts/vitest.base.ts'

const base = projectConfig('reliability')

// Each file starts its own relay process; two at once is all two cores take.
export default defineConfig({ ...base, test: { ...base.test, testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false } })
