import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { run } from './run.ts'

/** A package as it went to the registry. */
export interface PublishedPackage {
  name: string
  version: string
  /** The exact tarball that was published. */
  tarball: string
  /** Its export subpaths (`.`, `./node`, ...). */
  exports: string[]
  /** Its optional peer dependencies (Node-only backends) and the exact versions its tests use. */
  optionalPeers: Record<string, string>
}

/**
 * Copy every built package of the workspace at `root` into `stage` (the
 * checkout is never touched), give all one snapshot version, turn
 * `workspace:*` into that version (as `pnpm publish` does), pack each with npm
 * and publish the tarballs to `registry`.
 */
export async function publishWorkspace (root: string, stage: string, registry: { url: string, token: string }, snapshot: string): Promise<PublishedPackage[]> {
  const names = (await readdir(join(root, 'packages'))).sort()
  const host = new URL(registry.url).host
  await writeFile(join(stage, '.npmrc'), `//${host}/:_authToken=${registry.token}\n`)
  const tarballs = join(stage, 'tarballs')
  await mkdir(tarballs)

  const packages: Array<{ dir: string, manifest: Record<string, unknown> & { name: string, version: string, files?: string[] } }> = []
  for (const name of names) {
    const from = join(root, 'packages', name)
    const dir = join(stage, 'packages', name)
    const manifest = JSON.parse(await readFile(join(from, 'package.json'), 'utf8')) as (typeof packages)[number]['manifest']
    await mkdir(dir, { recursive: true })
    for (const entry of [...(manifest.files ?? []), 'README.md', 'LICENSE']) {
      if (existsSync(join(from, entry))) await cp(join(from, entry), join(dir, entry), { recursive: true })
    }
    manifest.version = snapshot
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      const deps = manifest[field] as Record<string, string> | undefined
      for (const [dep, range] of Object.entries(deps ?? {})) {
        if (range.startsWith('workspace:')) (deps as Record<string, string>)[dep] = snapshot
      }
    }
    // Provenance needs a CI identity; a local registry has none to check.
    const publishConfig = manifest.publishConfig as Record<string, unknown> | undefined
    if (publishConfig !== undefined) delete publishConfig.provenance
    await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2))
    packages.push({ dir, manifest })
  }

  const published: PublishedPackage[] = []
  for (const { dir, manifest } of packages) {
    const { stdout } = await run('npm', ['pack', '--pack-destination', tarballs, '--json'], { cwd: dir })
    const [packed] = JSON.parse(stdout) as Array<{ filename: string }>
    if (packed === undefined) throw new Error(`npm pack gave no tarball for ${manifest.name}`)
    published.push({ name: manifest.name, version: snapshot, tarball: join(tarballs, packed.filename), exports: Object.keys(manifest.exports as Record<string, unknown>), optionalPeers: optionalPeers(manifest) })
  }
  for (const { tarball } of published) {
    await run('npm', ['publish', tarball, '--registry', registry.url, '--tag', 'snapshot', '--no-provenance'], { cwd: stage })
  }
  return published
}

function optionalPeers (manifest: Record<string, unknown>): Record<string, string> {
  const meta = (manifest.peerDependenciesMeta ?? {}) as Record<string, { optional?: boolean }>
  const dev = (manifest.devDependencies ?? {}) as Record<string, string>
  const peers = (manifest.peerDependencies ?? {}) as Record<string, string>
  const out: Record<string, string> = {}
  for (const name of Object.keys(peers)) if (meta[name]?.optional === true) out[name] = dev[name] ?? peers[name] as string
  return out
}
