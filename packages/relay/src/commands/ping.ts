import { HyperDHT, parseAddresses } from '@lume/dht'
import { RpcConnection } from '@lume/rpc'
import { CoreMethods } from '@lume/rpc/core'
import { ErrorCode, fromHex, LumeError } from '@lume/types'
import { defaultHost, noPositionals, relayConfig, type Command } from './shared.js'

const MAX_COUNT = 1000

/** `lume-relay ping <key>`: connect to a relay by public key, ping it and show `core.info`. */
export const ping: Command = {
  summary: 'connect to a relay by public key: core.ping and core.info',
  help: `usage: lume-relay ping <64-hex public key> [--count N] [--dht.bootstrap=host:port,...]

Connect to a relay by its public key over the DHT, call core.ping N times and
print core.info.
  --count N                  pings to send, 1..${MAX_COUNT} (default 3)
  --dht.bootstrap=host:port  DHT bootstrap nodes (default: the public DHT)
  --dir DIR                  read the config of this relay directory`,
  async run (argv) {
    const { cfg } = await relayConfig(argv, { count: 'number' })
    const key = cfg.positionals[0]
    if (key === undefined || !/^[0-9a-f]{64}$/i.test(key)) {
      throw new LumeError(ErrorCode.CONFIG_INVALID, `ping needs a relay's public key (64 hex digits)${key === undefined ? '' : `, got "${key}"`}`)
    }
    noPositionals(cfg, 'ping', 1)
    const count = cfg.flags.count ?? 3
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
      throw new LumeError(ErrorCode.CONFIG_INVALID, `flag --count must be a whole number 1..${MAX_COUNT}, got ${String(count)}`)
    }
    const config = cfg.value
    const bootstrap = parseAddresses(config.dht.bootstrap)
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
}
