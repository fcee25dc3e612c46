// snippet: flood — signed gossip that hops from node to node, delivered once each.
import { Flood } from '@lume/dht-flood'
import { generateKeyPair } from '@lume/crypto'

// Three nodes in a line, A — B — C, linked in memory (on relays, floodPlugin links them).
const [a, b, c] = [1, 2, 3].map(() => new Flood({ keyPair: generateKeyPair() })) as [Flood, Flood, Flood]
const link = (x: Flood, y: Flood): void => {
  x.addPeer(y.publicKey, { packet: (bytes) => y.receivePacket(x.publicKey, bytes), direct: () => {} })
  y.addPeer(x.publicKey, { packet: (bytes) => x.receivePacket(y.publicKey, bytes), direct: () => {} })
}
link(a, b)
link(b, c)
c.on('message', ({ payload }) => console.log(`C got "${new TextDecoder().decode(payload)}" through B`))
a.broadcast(new TextEncoder().encode('hello, everyone'), { ttl: 4 })
