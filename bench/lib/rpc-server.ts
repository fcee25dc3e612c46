// The server side of rpc.bench.ts, in a process of its own: three servers on
// one DHT node — raw protomux-rpc (the baseline) and @lume/rpc — echoing bytes.
import HyperDHT from 'hyperdht'
import ProtomuxRPC from 'protomux-rpc'
import { MethodRegistry, RpcConnection } from '@lume/rpc'
import { rawBytesCodec } from '@lume/rpc/internal'
import { createDHTNode, parseAddresses } from '@lume/testnet'

const dht = createDHTNode(parseAddresses((process.argv[2] ?? '').split(',')))
const rawKeys = HyperDHT.keyPair()
const lumeKeys = HyperDHT.keyPair()

const raw = dht.createServer({}, (socket) => {
  const rpc = new ProtomuxRPC(socket, { valueEncoding: null })
  rpc.respond('echo', {}, (value: Uint8Array) => value.byteLength > 1024 ? value.subarray(0, 8) : value)
})
const methods = new MethodRegistry()
methods.register({ name: 'bench.echo', request: rawBytesCodec, response: rawBytesCodec, handler: (v: Uint8Array) => v.byteLength > 1024 ? v.subarray(0, 8) : v })
const lume = dht.createServer({}, (socket) => {
  RpcConnection.open(socket, { methods, keyPair: lumeKeys, limits: { maxRequestBytes: 2 * 1024 * 1024, maxInFlight: 1024 } })
})
await raw.listen(rawKeys)
await lume.listen(lumeKeys)
console.log(JSON.stringify({ raw: rawKeys.publicKey.toString('hex'), lume: lumeKeys.publicKey.toString('hex') }))
process.on('disconnect', () => { void dht.destroy().then(() => process.exit(0)) })
