// The default program of a process-testnet peer: a DHT node listening on its
// key pair that echoes, and answers info / ping / announce / lookup.
import { HyperDHT } from '@lume/dht'
import { createDHTNode } from './dht.js'
import { echo, TestPeer } from './peer.js'
import { runPeerProgram } from './peer-program.js'
import type { PeerCommands } from './ipc.js'

await runPeerProgram(async ({ bootstrap, seed }) => {
  const keyPair = HyperDHT.keyPair(seed)
  const dht = createDHTNode(bootstrap)
  const server = dht.createServer({}, (socket) => { peer.track(socket); echo(socket) })
  const peer = new TestPeer(dht, keyPair, server)
  await server.listen(keyPair)
  const handlers: { [C in keyof PeerCommands]: (args: PeerCommands[C]['args']) => Promise<PeerCommands[C]['result']> } = {
    info: async () => ({ publicKey: keyPair.publicKey.toString('hex'), pid: process.pid, port: dht.address().port }),
    ping: async ({ publicKey }) => ({ ms: await peer.ping(Buffer.from(publicKey, 'hex')) }),
    announce: async ({ topic }) => {
      const started = performance.now()
      await dht.announce(Buffer.from(topic, 'hex'), keyPair).finished()
      return { ms: performance.now() - started }
    },
    lookup: async ({ topic }) => {
      const started = performance.now()
      const found = new Set<string>()
      for await (const reply of dht.lookup(Buffer.from(topic, 'hex'))) {
        for (const p of reply.peers) found.add(p.publicKey.toString('hex'))
      }
      return { peers: [...found], ms: performance.now() - started }
    }
  }
  return { publicKey: keyPair.publicKey.toString('hex'), handlers, close: async () => await peer.close() }
})
