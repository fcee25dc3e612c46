// snippet: config — defaults < files < environment < flags, each value with its source.
import { z } from 'zod'
import { loadConfig } from '@lume/cfg'

const schema = z.object({
  port: z.number().int().min(0).max(65535).default(8080),
  rpc: z.object({ maxInFlight: z.number().int().positive().default(64) }).prefault({})
})
const cfg = await loadConfig({ schema, env: { LUME_RPC__MAX_IN_FLIGHT: '16' }, argv: ['--port=9000'] })
console.log(cfg.get('port'), cfg.sourceOf('port'), cfg.get('rpc.maxInFlight'), cfg.sourceOf('rpc.maxInFlight'))
