// The program each peer of a process testnet runs: a DHT node listening on
// its key pair, answering the parent's commands over the IPC channel.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import HyperDHT from 'hyperdht'
import { ErrorCode, LumeError } from '@lume/types'
import { createDHTNode, parseAddresses } from './dht.js'
import { echo, TestPeer } from './peer.js'
import type { ChildMessage, ParentMessage, PeerCommands } from './ipc.js'

const { values } = parseArgs({ options: { dir: { type: 'string' }, bootstrap: { type: 'string' } } })
if (values.dir === undefined || values.bootstrap === undefined || process.send === undefined) {
  console.error('usage: peer-process --dir DIR --bootstrap host:port[,host:port…] (spawned with an IPC channel)')
  process.exit(2)
}

const send = (message: ChildMessage): void => { process.send?.(message) }
const seed = Buffer.from((await readFile(join(values.dir, 'seed'), 'utf8')).trim(), 'hex')
const keyPair = HyperDHT.keyPair(seed)
const dht = createDHTNode(parseAddresses(values.bootstrap.split(',')))
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

let stopping = false
async function stop (): Promise<void> {
  if (stopping) return
  stopping = true
  await peer.close()
  process.disconnect?.()
  // Nothing is left open now, so the event loop drains and the process exits by itself.
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'stop') { void stop(); return }
  const handler = handlers[message.command] as ((args: unknown) => Promise<unknown>) | undefined
  if (handler === undefined) {
    send({ type: 'error', id: message.id, error: { code: ErrorCode.UNKNOWN_METHOD, message: `unknown command ${String(message.command)}` } })
    return
  }
  handler(message.args).then(
    (result) => send({ type: 'response', id: message.id, result }),
    (err: unknown) => send({
      type: 'error',
      id: message.id,
      error: LumeError.isInstance(err) ? { code: err.code, message: err.message } : { code: ErrorCode.REMOTE_ERROR, message: String((err as Error)?.message ?? err) }
    })
  )
})
// The parent went away without saying stop: do not linger as an orphan.
process.on('disconnect', () => { void stop() })
process.on('SIGTERM', () => { void stop() })
process.on('SIGINT', () => { void stop() })

send({ type: 'ready', publicKey: keyPair.publicKey.toString('hex'), pid: process.pid })
