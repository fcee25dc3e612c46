import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { build } from 'esbuild'

/** What a browser bundler makes of an entry point. */
export interface BrowserBundle {
  /** The bundled ESM code. */
  code: string
  /** Every source file that went in. */
  inputs: string[]
  /** `node:` (or bare Node built-in) imports left in the bundle. */
  nodeImports: string[]
}

const NODE_BUILTINS = /(?:from\s*|import\s*\(\s*|require\(\s*)["'](node:[\w/]+|fs|path|os|crypto|net|dgram|child_process|worker_threads)["']/g

/**
 * Bundle `entry` the way Vite or esbuild would for a browser (the "browser"
 * condition, no Node built-ins available) and report what Node-only code got in.
 * Workspace packages resolve to their sources through `lume-source`.
 */
export async function bundleForBrowser (entry: string): Promise<BrowserBundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['lume-source'],
    write: false,
    metafile: true,
    logLevel: 'silent'
  })
  const code = result.outputFiles[0]?.text ?? ''
  return {
    code,
    inputs: Object.keys(result.metafile.inputs),
    nodeImports: [...code.matchAll(NODE_BUILTINS)].map((m) => m[1] as string)
  }
}

/**
 * {@link bundleForBrowser} written out as a page in `dir`: `main.js` and an
 * `index.html` that loads it as a module, ready to serve to Chromium.
 */
export async function writeBrowserPage (entry: string, dir: string): Promise<BrowserBundle> {
  const bundle = await bundleForBrowser(entry)
  await writeFile(join(dir, 'main.js'), bundle.code)
  await writeFile(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><body><script type="module" src="./main.js"></script></body>')
  return bundle
}
