import { defineProject } from 'vitest/config'
import { projectConfig } from '../../scripts/vitest.base.ts'

export default defineProject(projectConfig('testnet'))
