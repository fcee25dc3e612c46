#!/usr/bin/env node
// lume-gateway: prepare a directory, serve it as an origin, and run the verifying gateway.
import { parseArgs } from 'node:util'
import type { AddressInfo } from 'node:net'
import { BlobClient } from '@lume/blobs'
import { createDhtNode, parseAddresses } from '@lume/dht'
import { RelayPool } from '@lume/rpc-client'
import { fromHex, silentLogger, type Logger } from '@lume/types'
import { createGateway, createOrigin, httpUpstream, lumeSource, prepareDirectory, type GatewayOptions } from './index.js'

const usage = `usage:
  lume-gateway prepare <source dir> <out dir> [--k 4]   hash files, write <hash> and <hash>.obao
  lume-gateway origin <dir> [--port 8080]               serve a prepared directory (untrusted origin)
  lume-gateway serve --upstream URL [--port 8081] [--k 4]
                                                        verify /blake3/<hash> from an HTTP origin
  lume-gateway serve --relays KEY[,KEY...] [--bootstrap HOST:PORT[,...]] [--port 8081]
                                                        verify /blake3/<hash> from blobs on Lume relays
                                                        (all holders at once; --bootstrap for a private DHT)
Then: curl -o out.bin http://127.0.0.1:8081/blake3/<hash>   (or ffmpeg -i that URL)
      an encrypted blob: http://127.0.0.1:8081/blake3/<hash>?key=<key>   (the key stays on this machine)`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    upstream: { type: 'string' },
    relays: { type: 'string' },
    bootstrap: { type: 'string' },
    k: { type: 'string', default: '4' },
    help: { type: 'boolean', short: 'h', default: false }
  }
})
const [command, ...args] = positionals
const k = Number(values.k)
const listen = (server: ReturnType<typeof createOrigin>, port: number, what: string, onStop?: () => Promise<void>): void => {
  server.listen(port, values.host, () => {
    console.log(`${what} listening on http://${values.host}:${(server.address() as AddressInfo).port}`)
  })
  server.once('error', (err) => {
    console.error(`lume-gateway: cannot listen on ${values.host}:${port}: ${err.message}`)
    process.exitCode = 1
    void onStop?.()
  })
  const stop = (): void => { server.close(); server.closeAllConnections(); void onStop?.() }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

if (values.help || command === undefined) {
  console.log(usage)
} else if (command === 'prepare' && args.length === 2) {
  let lastLine = 0
  const prepared = await prepareDirectory(args[0] as string, args[1] as string, k, (name, done, total) => {
    if (done - lastLine >= 16 << 20 || done === total) { lastLine = done; process.stderr.write(`\r${name}: ${(done / 2 ** 20).toFixed(0)}/${(total / 2 ** 20).toFixed(0)} MiB`) }
  })
  process.stderr.write('\n')
  for (const p of prepared) console.log(`${p.hash}  ${p.bytes.toString().padStart(12)}  ${p.name}`)
} else if (command === 'origin' && args.length === 1) {
  listen(createOrigin(args[0] as string), Number(values.port ?? 8080), 'origin')
} else if (command === 'serve' && (values.upstream === undefined) !== (values.relays === undefined)) {
  if (values.relays !== undefined) {
    const relays = values.relays.split(',').map((key) => fromHex(key.trim(), 32))
    // No --bootstrap: the public DHT, as any Lume app; a private one on loopback stays on loopback.
    const bootstrap = values.bootstrap === undefined ? undefined : parseAddresses(values.bootstrap.split(','))
    const loopback = bootstrap !== undefined && bootstrap.length > 0 && bootstrap.every((b) => b.host.startsWith('127.'))
    const dht = createDhtNode({ ...(bootstrap === undefined ? {} : { bootstrap }), ...(loopback ? { host: '127.0.0.1' } : {}) })
    const pool = new RelayPool({ dialer: dht, relays })
    const options: GatewayOptions = { source: lumeSource(new BlobClient({ pool, relays })), logger: stderrLogger() }
    listen(createGateway(options), Number(values.port ?? 8081), `verifying gateway (blobs on ${relays.length} relay${relays.length === 1 ? '' : 's'})`, async () => {
      await pool.close()
      await dht.destroy()
    })
  } else {
    listen(createGateway({ upstream: httpUpstream(values.upstream as string), k, logger: stderrLogger() }), Number(values.port ?? 8081), 'verifying gateway')
  }
} else {
  console.error(usage)
  process.exitCode = 2
}

/** Warnings and errors as one line each on stderr. */
function stderrLogger (): Logger {
  const line = (level: string) => (a: string | Record<string, unknown>, b?: string): void => {
    console.error(typeof a === 'string' ? `${level} ${a}` : `${level} ${b ?? ''} ${JSON.stringify(a)}`)
  }
  return { ...silentLogger, warn: line('warn'), error: line('error'), fatal: line('fatal'), child: () => stderrLogger() }
}
