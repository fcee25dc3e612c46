import { join } from 'node:path'
import type { ViteUserConfig } from 'vitest/config'

/**
 * The shared per-package test settings. Tests run against sources: the
 * `lume-source` export condition points each `@lume/*` import at `src/`.
 */
export function projectConfig (name: string): ViteUserConfig {
  // `npm test` sets LUME_TEST_REPORT_DIR to collect one summary over all packages.
  const reportDir = process.env.LUME_TEST_REPORT_DIR
  const reports = reportDir === undefined
    ? {}
    : { reporters: ['default', 'json'], outputFile: { json: join(reportDir, `${name}.json`) } }
  return {
    resolve: { conditions: ['lume-source'] },
    ssr: { resolve: { conditions: ['lume-source'], externalConditions: ['lume-source'] } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 30_000,
      hookTimeout: 30_000,
      // A test that leaves a socket or timer open must not hang the run.
      teardownTimeout: 10_000,
      ...reports
    }
  }
}
