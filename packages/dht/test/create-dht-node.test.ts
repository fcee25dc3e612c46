import { afterEach, describe, expect, it } from 'vitest'
import { createDhtNode, HyperDHT, type DhtNode } from '../src/index.ts'

const LOOPBACK = '127.0.0.1'

describe('createDhtNode', () => {
  const nodes: DhtNode[] = []
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.destroy()))
  })

  it('starts a node on a private bootstrap list and connects two nodes through it', async () => {
    // hyperdht cannot connect through a single bootstrap node: two form the backbone.
    const first = createDhtNode({ bootstrap: [], host: LOOPBACK, ephemeral: false, firewalled: false })
    nodes.push(first)
    await first.ready()
    const bootstrap = [{ host: LOOPBACK, port: first.address().port }]
    const second = createDhtNode({ bootstrap, host: LOOPBACK, ephemeral: false, firewalled: false })
    nodes.push(second)
    await second.ready()

    const serverNode = createDhtNode({ bootstrap, host: LOOPBACK })
    const clientNode = createDhtNode({ bootstrap, host: LOOPBACK })
    nodes.push(serverNode, clientNode)
    const keyPair = HyperDHT.keyPair()
    const server = serverNode.createServer({}, (socket) => {
      // Our destroy() below resets the server's end: expected, not a failure.
      socket.on('error', () => {})
      socket.pipe(socket)
    })
    await server.listen(keyPair)

    const socket = clientNode.connect(keyPair.publicKey)
    socket.write(Buffer.from('hello'))
    const [echoed] = await new Promise<Buffer[]>((resolve, reject) => {
      socket.once('data', (data: Buffer) => resolve([data]))
      socket.once('error', reject)
    })
    expect(echoed?.toString()).toBe('hello')
    expect(Buffer.from(socket.remotePublicKey).equals(keyPair.publicKey)).toBe(true)
    socket.on('error', () => {})
    socket.destroy()
    await server.close()
  })

  it('derives the same key pair from the same seed', () => {
    const seed = new Uint8Array(32).fill(7)
    expect(HyperDHT.keyPair(seed).publicKey.equals(HyperDHT.keyPair(seed).publicKey)).toBe(true)
  })
})
