import { open, rename, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'

/** Flush a directory's entries (renames, creations) to disk: a rename is durable only after this. */
export async function syncDir (dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Write `bytes` to `path` crash-safely: a temp file beside it, fsync, rename, fsync the directory. */
export async function writeFileDurably (path: string, bytes: Uint8Array): Promise<void> {
  const temp = `${path}.tmp`
  let handle: FileHandle | null = await open(temp, 'w')
  try {
    await handle.write(bytes, 0, bytes.byteLength, 0)
    await handle.sync()
  } finally {
    await handle.close()
    handle = null
  }
  await rename(temp, path)
  await syncDir(dirname(path))
}
