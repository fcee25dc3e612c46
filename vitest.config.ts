import { defineConfig } from 'vitest/config'

// `pnpm vitest` at the root runs every package's own project config.
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/*', 'docs', 'test/reliability', 'test/consumer']
  }
})
