import type { UserWorkspaceConfig } from 'vitest/config'

/**
 * The shared per-package test settings. Tests run against sources: the
 * `lume-source` export condition points each `@lume/*` import at `src/`.
 */
export function projectConfig (name: string): UserWorkspaceConfig {
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
      teardownTimeout: 10_000
    }
  }
}
