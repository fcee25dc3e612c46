import { HyperDHT } from '@lume/dht'
import { CoreMethods, RpcConnection } from '@lume/rpc'
import { fromHex, LumeError } from '@lume/types'
import { defaultHost, parseBootstrap, relayConfig } from './shared.js'

/** `lume-relay ping <key>`: connect to a relay by public key, ping it and show `core.info`. */
export async function ping (argv: readonly string[]): Promise<number> {
  const key = argv.find((a) => !a.startsWith('-') && /^[0-9a-f]{64}$/i.test(a))
  if (key === undefined) {
    console.error('usage: lume-relay ping <64-hex public key> [--dht.bootstrap=host:port,...] [--count N]')
    return 2
  }
  const countArg = argv.find((a) => a.startsWith('--count='))
  const count = countArg === undefined ? 3 : Number(countArg.slice('--count='.length))
  const { value: config } = await relayConfig(argv.filter((a) => a !== key))
  const bootstrap = parseBootstrap(config.dht.bootstrap)
  const dht = new HyperDHT({ bootstrap, host: config.dht.host ?? defaultHost(bootstrap) })
  const conn = RpcConnection.open(dht.connect(fromHex(key, 32)))
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now()
      await conn.call(CoreMethods.ping, null)
      console.log(`core.ping: ${(performance.now() - started).toFixed(2)} ms`)
    }
    const info = await conn.call(CoreMethods.info, null)
    console.log(`core.info: version ${info.version}, plugins [${info.plugins.join(', ')}], ${info.methods.length} methods: ${info.methods.join(', ')}`)
    return 0
  } catch (err) {
    console.error(`lume-relay ping: ${LumeError.isInstance(err) ? `${err.code}: ` : ''}${(err as Error).message}`)
    return 1
  } finally {
    conn.destroy()
    await dht.destroy()
  }
}
