// The page: every answer is verified here, in the browser. Parameters come
// from the URL: ws (a relay's WebSocket endpoint), relays (hex keys), key (a
// registry key to read and follow), blob (a BLAKE3 hash to download).
import RelayedDHT from '@hyperswarm/dht-relay'
import Stream from '@hyperswarm/dht-relay/ws'
import { BaoDecoder } from '@lume/bao-stream'
import { RegistryClient } from '@lume/registry'
import { RpcConnection } from '@lume/rpc'
import { RelayPool, type Dialer } from '@lume/rpc-client'
import { fromHex, generateKeyPair, stringCodec, toHex, uintCodec, bytesCodec } from '@lume/types'

const params = new URLSearchParams(location.search)
const show = (id: string, text: string, cls = ''): void => {
  const el = document.getElementById(id) as HTMLElement
  el.textContent = text
  el.className = cls
}
const fortune = { name: 'demo.fortune', request: stringCodec, response: stringCodec }
const blobSpec = { name: 'blob.get', request: bytesCodec, response: bytesCodec }
const blobSize = { name: 'blob.size', request: bytesCodec, response: uintCodec }

async function main (): Promise<void> {
  // A throwaway transport key: dht-relay is custodial (the endpoint sees it); identity keys stay in the page.
  const transport = generateKeyPair()
  const dht = new RelayedDHT(new Stream(true, new WebSocket(params.get('ws') as string)), { keyPair: transport as never })
  await dht.ready()
  const relays = (params.get('relays') ?? '').split(',').filter(Boolean).map((k) => fromHex(k, 32))
  show('connection', `through ${params.get('ws')} to ${relays.length} relays`, 'ok')

  const pool = new RelayPool({ dialer: dht as unknown as Dialer, relays })
  const answer = await pool.query(fortune, 'from a browser', { quorum: 2, of: relays.length })
  show('quorum', `${answer.value} — signed by ${answer.agreeing.map((a) => toHex(a.relayPublicKey).slice(0, 6)).join(', ')}`, 'ok')

  const conn = RpcConnection.open(dht.connect(relays[0] as Uint8Array))
  const registry = new RegistryClient(conn)
  const key = fromHex(params.get('key') as string, 32)
  const entry = await registry.get(key)
  show('registry', entry === null ? 'not found' : `revision ${entry.revision}: ${new TextDecoder().decode(entry.data)}`, 'ok')
  const updates = registry.subscribe(key, { since: entry?.revision ?? -1 })
  const watching = (async () => {
    for await (const update of updates) {
      show('subscription', `update: revision ${update.revision}: ${new TextDecoder().decode(update.data)}`, 'ok')
      return
    }
  })()
  show('subscription', 'waiting for an update…')

  const hash = fromHex(params.get('blob') as string, 32)
  const total = await conn.call(blobSize, hash)
  const decoder = new BaoDecoder(hash, { k: 4 })
  let verified = 0
  for await (const piece of conn.callStream(blobSpec, hash)) {
    for (const part of decoder.push(piece)) verified += part.byteLength
    if (decoder.error !== null) throw decoder.error
    ;(document.getElementById('progress') as HTMLProgressElement).value = verified / Math.max(1, total)
  }
  decoder.finish()
  show('download', `${verified} bytes verified against ${toHex(hash).slice(0, 12)}…`, 'ok')

  await watching
  show('status', 'done', 'ok')
}

main().catch((err: unknown) => {
  show('status', `failed: ${(err as { code?: string }).code ?? ''} ${(err as Error).message}`, 'err')
})
