// The relay of browser.bench.ts, in a process of its own: a Lume relay with
// its WebSocket endpoint and the dht-relay gateway, serving bench.echo.
import HyperDHT from 'hyperdht'
import { createRelay } from '@lume/relay'
import { parseAddresses } from '@lume/testnet'
import { PLUGIN_API_VERSION, stringCodec } from '@lume/types'

const relay = await createRelay({
  keyPair: HyperDHT.keyPair(),
  bootstrap: parseAddresses((process.argv[2] ?? '').split(',')),
  host: '127.0.0.1',
  announce: false,
  // The bench is one client making many calls: its own budget is the relay's.
  limits: { maxInFlight: 1024 },
  websocket: { port: 0, host: '127.0.0.1' },
  dhtRelayGateway: { port: 0 },
  plugins: [{
    name: 'bench',
    apiVersion: PLUGIN_API_VERSION,
    start (api) { api.registerMethod({ name: 'echo', request: stringCodec, response: stringCodec, handler: (v: string) => v }) }
  }]
})
console.log(JSON.stringify({ key: relay.publicKeyHex, ws: relay.websocketUrl, gateway: relay.gatewayUrl }))
process.on('disconnect', () => { void relay.close().then(() => process.exit(0)) })
