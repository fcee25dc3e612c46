// One relay of quorum.bench.ts, in a process of its own (as relays run in
// practice): a Lume relay serving bench.echo, printing its key when ready.
import HyperDHT from 'hyperdht'
import { createRelay } from '@lume/relay'
import { parseAddresses } from '@lume/testnet'
import { PLUGIN_API_VERSION, stringCodec } from '@lume/types'

const relay = await createRelay({
  keyPair: HyperDHT.keyPair(),
  bootstrap: parseAddresses((process.argv[2] ?? '').split(',')),
  host: '127.0.0.1',
  announce: false,
  plugins: [{
    name: 'bench',
    apiVersion: PLUGIN_API_VERSION,
    start (api) { api.registerMethod({ name: 'echo', request: stringCodec, response: stringCodec, handler: (v: string) => v }) }
  }]
})
console.log(JSON.stringify({ key: relay.publicKeyHex }))
process.on('disconnect', () => { void relay.close().then(() => process.exit(0)) })
