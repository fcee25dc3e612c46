import type { Options } from 'tsup'

/** What a package says about its build; everything else is the same for all. */
export interface LibraryBuild {
  entry: Record<string, string>
  /** Entries that get a bundled `.d.ts` (defaults to all). */
  dtsEntry?: Record<string, string>
  /** Imports left as they are (e.g. the package's own "#imports"). */
  external?: string[]
}

/** The shared tsup settings: ESM only, `.d.ts`, source maps, Node 20. */
export function libraryConfig (build: LibraryBuild): Options {
  return {
    entry: build.entry,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: { entry: build.dtsEntry ?? build.entry },
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    external: build.external ?? [],
    tsconfig: 'tsconfig.json'
  }
}
