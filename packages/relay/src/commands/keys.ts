import { generateMnemonic, keyPairFromMnemonic, toHex } from '@lume/types'
import { loadOrCreateIdentity } from '../lib/identity.js'
import { relayConfig, relayDir } from './shared.js'

/** `lume-relay keygen`: print a new mnemonic and the public key it gives (writes nothing). */
export function keygen (): number {
  const mnemonic = generateMnemonic()
  console.log(`mnemonic:   ${mnemonic}`)
  console.log(`public key: ${toHex(keyPairFromMnemonic(mnemonic).publicKey)}`)
  console.log('To use it, save the mnemonic as <relay dir>/identity with mode 0600.')
  return 0
}

/** `lume-relay info`: the relay's key and effective configuration, with where each value came from. */
export async function info (argv: readonly string[]): Promise<number> {
  const dir = relayDir(argv)
  const cfg = await relayConfig(argv)
  const identity = await loadOrCreateIdentity(dir, (m) => console.error(m))
  console.log(`relay dir:  ${dir}`)
  console.log(`public key: ${toHex(identity.keyPair.publicKey)}${identity.created ? ' (identity just created)' : ''}`)
  console.log('config:')
  const show = (path: string): void => { console.log(`  ${path} = ${JSON.stringify(cfg.get(path))}  (${cfg.sourceOf(path)})`) }
  for (const path of ['dht.bootstrap', 'dht.host', 'dht.port', 'announce', 'plugins', 'log.level', 'shutdownGraceMs']) show(path)
  return 0
}
