// The page: every answer is verified here, in the browser. It reaches relays
// straight over WebSocket; each relay proves its key in a Noise handshake, so
// no server in between is trusted and the page's own key never leaves it.
// Parameters come from the URL (see README.md):
//   relays  comma-separated <relay key hex>@<ws:// or wss:// URL>   (required)
//   quorum  how many relays must sign the same answer (default: a majority)
//   key     a registry key (hex) to read and follow                (optional)
//   blob    a BLAKE3 hash (hex) to download, verified as it streams (optional)
import { BaoDecoder } from '@lume/bao-stream'
import { RegistryClient } from '@lume/registry'
import { RelayPool, webSocketDialer } from '@lume/rpc-client'
import { bytesCodec, fromHex, LumeError, stringCodec, toHex, uintCodec } from '@lume/types'

const params = new URLSearchParams(location.search)
const show = (id: string, text: string, cls = ''): void => {
  const el = document.getElementById(id) as HTMLElement
  el.textContent = text
  el.className = cls
}
const fortune = { name: 'demo.fortune', request: stringCodec, response: stringCodec }
const blobSpec = { name: 'blob.get', request: bytesCodec, response: bytesCodec }
const blobSize = { name: 'blob.size', request: bytesCodec, response: uintCodec }
const short = (key: Uint8Array): string => toHex(key).slice(0, 6)

/** `key@url` pairs from the URL, with a message a person can act on when they are wrong. */
function relaysFromUrl (): Array<{ key: Uint8Array, url: string }> {
  const raw = params.get('relays') ?? ''
  if (raw === '') throw new Error('no relays given: open this page with ?relays=<relay key hex>@ws://host:port,… (see README.md)')
  return raw.split(',').filter(Boolean).map((item) => {
    const at = item.indexOf('@')
    if (at < 0) throw new Error(`"${item}" is not <relay key hex>@<ws URL>`)
    try {
      return { key: fromHex(item.slice(0, at), 32), url: item.slice(at + 1) }
    } catch {
      throw new Error(`"${item.slice(0, at)}" is not a relay key (64 hex digits)`)
    }
  })
}

function describe (err: unknown): string {
  if (LumeError.isInstance(err)) return `${err.code}: ${err.message}${err.cause === undefined ? '' : ` (${describe(err.cause)})`}`
  return err instanceof Error ? err.message : String(err)
}

async function main (): Promise<void> {
  const relays = relaysFromUrl()
  const quorum = Number(params.get('quorum') ?? Math.floor(relays.length / 2) + 1)
  if (!Number.isInteger(quorum) || quorum < 1 || quorum > relays.length) throw new Error(`quorum must be 1..${relays.length}, got ${params.get('quorum') ?? ''}`)
  show('quorum-title', `Quorum query (${quorum} of ${relays.length} relays must agree)`)

  const dialer = webSocketDialer({ endpoints: Object.fromEntries(relays.map((r) => [toHex(r.key), r.url])) })
  const pool = new RelayPool({ dialer, relays: relays.map((r) => r.key) })
  const reached = await Promise.allSettled(relays.map(async (r) => await pool.connect(r.key)))
  const down = relays.filter((_, i) => reached[i]?.status === 'rejected')
  show('connection', `${relays.length - down.length} of ${relays.length} relays reached over WebSocket, each proving its key` +
    (down.length === 0 ? '' : `; unreachable: ${down.map((r) => `${short(r.key)} (${describe((reached[relays.indexOf(r)] as PromiseRejectedResult).reason)})`).join(', ')}`), down.length === 0 ? 'ok' : 'err')

  try {
    const answer = await pool.query(fortune, 'from a browser', { quorum, of: relays.length })
    show('quorum', `${answer.value} — signed by ${answer.agreeing.map((a) => short(a.relayPublicKey)).join(', ')}`, 'ok')
  } catch (err) {
    show('quorum', describe(err), 'err')
  }

  const first = await pool.connect((relays[0] as { key: Uint8Array }).key)
  const keyHex = params.get('key')
  let watching: Promise<void> = Promise.resolve()
  if (keyHex === null) {
    show('registry', 'no registry key given (?key=…)')
    show('subscription', '—')
  } else {
    const registry = new RegistryClient(first)
    const key = fromHex(keyHex, 32)
    const entry = await registry.get(key)
    show('registry', entry === null ? 'not found' : `revision ${entry.revision}: ${new TextDecoder().decode(entry.data)}`, 'ok')
    const updates = registry.subscribe(key, { since: entry?.revision ?? -1 })
    // The page shows the first update and stops following.
    watching = updates.next().then(async (next) => {
      if (next.done !== true) show('subscription', `update: revision ${next.value.revision}: ${new TextDecoder().decode(next.value.data)}`, 'ok')
      await updates.return(undefined)
    })
    show('subscription', 'waiting for an update…')
  }

  const blobHex = params.get('blob')
  if (blobHex === null) show('download', 'no blob given (?blob=…)')
  else await download(pool, relays.map((r) => r.key), fromHex(blobHex, 32))

  await watching
  show('status', 'done', 'ok')
}

/** Download from each relay in turn until one sends data that verifies; log what each did. */
async function download (pool: RelayPool, relays: Uint8Array[], hash: Uint8Array): Promise<void> {
  const lines: string[] = []
  for (const relay of relays) {
    const conn = await pool.connect(relay)
    const total = await conn.call(blobSize, hash)
    const decoder = new BaoDecoder(hash, { k: 4 })
    let verified = 0
    try {
      for await (const piece of conn.callStream(blobSpec, hash)) {
        for (const part of decoder.push(piece)) verified += part.byteLength
        if (decoder.error !== null) throw decoder.error
        ;(document.getElementById('progress') as HTMLProgressElement).value = verified / Math.max(1, total)
      }
      decoder.finish()
      lines.push(`relay ${short(relay)}: ${verified} bytes verified against ${toHex(hash).slice(0, 12)}…`)
      show('download', lines.join('; '), 'ok')
      return
    } catch (err) {
      lines.push(`relay ${short(relay)}: corruption caught after ${verified} verified bytes (${LumeError.isInstance(err) ? err.code : describe(err)})`)
      show('download', lines.join('; '))
    }
  }
  show('download', `${lines.join('; ')}; no relay sent data that verifies`, 'err')
}

main().catch((err: unknown) => {
  show('status', `failed: ${describe(err)}`, 'err')
})
