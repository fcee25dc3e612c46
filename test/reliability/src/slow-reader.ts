// A slow reader, run as its own process so that the test can stop it dead
// (SIGSTOP): it connects to a relay as a flood neighbour and subscribes, says
// "ready", then never reads again.
// Arguments: <relay key hex> <bootstrap host:port,...> <a registry key the relay holds, hex>
import { createDHTNode, parseAddresses } from '@lume/testnet'
import { fromHex } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { HostilePeer } from './hostile-peer.js'
import { rawPull, rawSubscribe } from './raw-stream.js'

const [relayHex, bootstrap, knownHex] = process.argv.slice(2)
const dht = createDHTNode(parseAddresses((bootstrap ?? '').split(',')))
const peer = await HostilePeer.connect(dht, fromHex(relayHex ?? ''), generateKeyPair(), { asRelay: true })
await peer.openFlood()
const flood = await peer.admitted(fromHex(knownHex ?? ''))
let subscribed = 0
for (let i = 0; i < 16; i++) {
  const opened = await rawSubscribe(peer, generateKeyPair())
  if ('streamId' in opened) { subscribed++; rawPull(peer, opened.streamId) }
}
await peer.barrier()
console.log(`ready flood=${flood} subscribed=${subscribed}`)
