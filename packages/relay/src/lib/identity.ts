import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ErrorCode, LumeError, generateMnemonic, keyPairFromMnemonic, type KeyPair } from '@lume/types'

/** A relay identity: the mnemonic it is derived from, and its key pair. */
export interface Identity {
  mnemonic: string
  keyPair: KeyPair
  /** Where the mnemonic is kept. */
  file: string
  /** True when this call created it. */
  created: boolean
}

/** The identity file inside a relay directory. */
export const IDENTITY_FILE = 'identity'

/**
 * Load the relay's mnemonic from `<dir>/identity`, creating a new one (file
 * mode 0600, directory 0700) on first start. A file others can read is made
 * private again, and said so.
 */
export async function loadOrCreateIdentity (dir: string, warn: (message: string) => void = () => {}): Promise<Identity> {
  const file = join(dir, IDENTITY_FILE)
  let text: string | null = null
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new LumeError(ErrorCode.CONFIG_UNREADABLE, `cannot read ${file}`, { cause: err })
  }
  if (text === null) {
    const mnemonic = generateMnemonic()
    await mkdir(dir, { recursive: true, mode: 0o700 })
    await writeFile(file, `${mnemonic}\n`, { mode: 0o600, flag: 'wx' })
    return { mnemonic, keyPair: keyPairFromMnemonic(mnemonic), file, created: true }
  }
  const mode = (await stat(file)).mode & 0o777
  if ((mode & 0o077) !== 0) {
    await chmod(file, 0o600)
    warn(`${file} was readable by others (mode ${mode.toString(8)}); it is now 0600`)
  }
  const mnemonic = text.trim()
  try {
    return { mnemonic, keyPair: keyPairFromMnemonic(mnemonic), file, created: false }
  } catch (err) {
    throw new LumeError(ErrorCode.INVALID_MNEMONIC, `${file} does not hold a valid BIP39 mnemonic`, { cause: err })
  }
}
