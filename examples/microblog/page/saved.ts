// What the page keeps in this browser's localStorage: the identity and whom it follows.
import { generateMnemonic, isValidMnemonic } from '@lume/crypto'

const MNEMONIC = 'lume-microblog-mnemonic'
const FOLLOWING = 'lume-microblog-following'
const KEY = /^[0-9a-f]{64}$/

/** This browser's identity (a mnemonic), made on first visit. */
export function savedMnemonic (): string {
  const saved = localStorage.getItem(MNEMONIC)
  if (saved !== null && isValidMnemonic(saved)) return saved
  const mnemonic = generateMnemonic()
  localStorage.setItem(MNEMONIC, mnemonic)
  return mnemonic
}

/** Replace this browser's identity with one backed up elsewhere; false when the words are not a mnemonic. */
export function importMnemonic (words: string): boolean {
  const mnemonic = words.trim().toLowerCase().split(/\s+/).join(' ')
  if (!isValidMnemonic(mnemonic)) return false
  localStorage.setItem(MNEMONIC, mnemonic)
  // Another identity follows other people: start its list afresh.
  localStorage.removeItem(FOLLOWING)
  return true
}

/** The keys this browser follows (malformed saved entries are dropped). */
export function savedFollowing (): string[] {
  let saved: unknown
  try {
    saved = JSON.parse(localStorage.getItem(FOLLOWING) ?? '[]')
  } catch {
    saved = []
  }
  return Array.isArray(saved) ? saved.filter((k): k is string => typeof k === 'string' && KEY.test(k)) : []
}

/** Keep the list of followed keys. */
export function saveFollowing (keys: Iterable<string>): void {
  localStorage.setItem(FOLLOWING, JSON.stringify([...keys]))
}
