import { ErrorCode, LumeError } from './errors.js'

/**
 * Loads an optional peer dependency for a Node-only entry point, so an app
 * that never uses that entry point never installs it. When the package is
 * missing, throws `MISSING_DEPENDENCY` naming the package to install (a bare
 * `ERR_MODULE_NOT_FOUND` says nothing about which entry point wanted it).
 * Pass the import as a literal arrow (`() => import('lmdb')`) so bundlers see it.
 *
 * @param name - the npm package, as the user should install it
 * @param entry - the entry point that needs it, e.g. `@lume/registry/lmdb`
 * @param load - imports the package
 */
export async function importPeer<T> (name: string, entry: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load()
  } catch (err) {
    if (!isModuleNotFound(err, name)) throw err
    throw new LumeError(ErrorCode.MISSING_DEPENDENCY, `${entry} needs the package "${name}": install it with \`npm install ${name}\``, {
      cause: err,
      details: { package: name, entry }
    })
  }
}

// Node says ERR_MODULE_NOT_FOUND (ESM) or MODULE_NOT_FOUND (CJS); only the
// package itself being absent counts, not a file missing inside it.
function isModuleNotFound (err: unknown, name: string): boolean {
  if (typeof err !== 'object' || err === null) return false
  const { code, message } = err as { code?: unknown, message?: unknown }
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false
  return typeof message === 'string' && message.includes(`'${name}'`)
}
