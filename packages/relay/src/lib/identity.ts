import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ErrorCode, LumeError } from '@lume/types'
import { generateMnemonic, keyPairFromMnemonic, type KeyPair } from '@lume/crypto'

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
  const existing = await loadIdentity(dir, warn, true)
  if (existing !== null) return existing
  const file = join(dir, IDENTITY_FILE)
  const mnemonic = generateMnemonic()
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await writeFile(file, `${mnemonic}\n`, { mode: 0o600, flag: 'wx' })
  return { mnemonic, keyPair: keyPairFromMnemonic(mnemonic), file, created: true }
}

/**
 * Read the relay's identity from `<dir>/identity`, or null when there is none
 * yet. Writes nothing unless `fixMode` (then a file others can read is made
 * 0600); otherwise such a file is only warned about.
 */
export async function loadIdentity (dir: string, warn: (message: string) => void = () => {}, fixMode = false): Promise<Identity | null> {
  const file = join(dir, IDENTITY_FILE)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new LumeError(ErrorCode.CONFIG_UNREADABLE, `cannot read ${file}`, { cause: err })
  }
  const mode = (await stat(file)).mode & 0o777
  if ((mode & 0o077) !== 0) {
    if (fixMode) {
      await chmod(file, 0o600)
      warn(`${file} was readable by others (mode ${mode.toString(8)}); it is now 0600`)
    } else {
      warn(`${file} is readable by others (mode ${mode.toString(8)}): chmod 600 it`)
    }
  }
  const mnemonic = text.trim()
  try {
    return { mnemonic, keyPair: keyPairFromMnemonic(mnemonic), file, created: false }
  } catch (err) {
    throw new LumeError(ErrorCode.INVALID_MNEMONIC, `${file} does not hold a valid BIP39 mnemonic`, { cause: err })
  }
}
