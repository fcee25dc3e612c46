import { defineConfig } from 'vitest/config'
import { projectConfig } from '../../scripts/vitest.base.ts'

export default defineConfig(projectConfig('crypto'))
