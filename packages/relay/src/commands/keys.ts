import { toHex } from '@lume/types'
import { generateMnemonic, keyPairFromMnemonic } from '@lume/crypto'
import { loadIdentity } from '../lib/identity.js'
import { noPositionals, relayConfig, type Command } from './shared.js'

/** `lume-relay keygen`: print a new mnemonic and the public key it gives (writes nothing). */
export const keygen: Command = {
  summary: 'print a new mnemonic and its public key (writes nothing)',
  help: `usage: lume-relay keygen

Print a new BIP39 mnemonic and the relay public key it gives. Nothing is
written: to use it, save the mnemonic as <relay dir>/identity with mode 0600.`,
  run (argv) {
    if (argv.length > 0) {
      console.error(`lume-relay keygen: unexpected argument "${argv[0] as string}" (see lume-relay keygen --help)`)
      return 2
    }
    const mnemonic = generateMnemonic()
    console.log(`mnemonic:   ${mnemonic}`)
    console.log(`public key: ${toHex(keyPairFromMnemonic(mnemonic).publicKey)}`)
    console.log('To use it, save the mnemonic as <relay dir>/identity with mode 0600.')
    return 0
  }
}

/** `lume-relay info`: the relay's key and effective configuration, with where each value came from (read-only). */
export const info: Command = {
  summary: 'print the relay\'s public key and configuration, with sources (read-only)',
  help: `usage: lume-relay info [--dir DIR] [--KEY=VALUE ...]

Print the relay's public key and its effective configuration, with where each
value came from. Reads only: a relay directory without an identity stays empty.
  --dir DIR       relay directory (default $LUME_RELAY_DIR or ~/.lume-relay)
  --config FILE   also read this YAML/JSON file (after the directory's)`,
  async run (argv) {
    const { cfg, dir } = await relayConfig(argv)
    noPositionals(cfg, 'info')
    const identity = await loadIdentity(dir, (m) => console.error(m))
    console.log(`relay dir:  ${dir}`)
    console.log(`public key: ${identity === null ? '(no identity yet: `lume-relay start` creates one)' : toHex(identity.keyPair.publicKey)}`)
    console.log('config:')
    const show = (path: string): void => { console.log(`  ${path} = ${JSON.stringify(cfg.get(path))}  (${cfg.sourceOf(path)})`) }
    for (const path of ['dht.bootstrap', 'dht.host', 'dht.port', 'announce', 'plugins', 'plugin', 'log.level', 'shutdownGraceMs']) show(path)
    return 0
  }
}
