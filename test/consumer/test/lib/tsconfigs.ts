/** The strict settings an app might use; what we ship must pass them all. */
const strict = {
  target: 'ES2022',
  lib: ['ES2022'],
  strict: true,
  skipLibCheck: false,
  types: ['node'],
  verbatimModuleSyntax: true
}

/** An app compiled for Node with node16 resolution (emits JS to run). */
export const node16Config = {
  compilerOptions: { ...strict, module: 'node16', moduleResolution: 'node16', outDir: 'out', rootDir: 'src' },
  include: ['src']
}

/** An app type-checked for a bundler (bundler resolution, no emit). */
export const bundlerConfig = {
  compilerOptions: { ...strict, module: 'esnext', moduleResolution: 'bundler', noEmit: true },
  include: ['src']
}
