import { copyFile, mkdir, readdir, rename, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { writeOutboardFile } from '@lume/bao-stream/node'
import { toHex } from '@lume/types'

/** One prepared file. */
export interface Prepared {
  name: string
  hash: string
  bytes: number
}

/**
 * Prepare a directory an origin can serve: for each file in `source`, write
 * `<out>/<hash>` (a copy of the content) and `<out>/<hash>.obao` (its outboard,
 * chunk groups of 2^k). Streams each file; `onProgress` hears about every MiB.
 */
export async function prepareDirectory (source: string, out: string, k = 4, onProgress?: (name: string, done: number, total: number) => void): Promise<Prepared[]> {
  await mkdir(out, { recursive: true })
  const prepared: Prepared[] = []
  for (const name of (await readdir(source)).sort()) {
    const file = join(source, name)
    const info = await stat(file)
    if (!info.isFile()) continue
    const temp = join(out, `.${name}.obao.tmp`)
    const hash = toHex(await writeOutboardFile(file, temp, { k, onProgress: (done) => onProgress?.(name, done, info.size) }))
    await rename(temp, join(out, `${hash}.obao`))
    await copyFile(file, join(out, hash))
    prepared.push({ name, hash, bytes: info.size })
  }
  return prepared
}
