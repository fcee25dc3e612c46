import { join } from 'node:path'
import type { MethodRegistry } from '@lume/rpc'
import type { BudgetBook } from '@lume/rpc/internal'
import {
  ErrorCode, LumeError, PLUGIN_API_VERSION,
  type AnswerCacheHook, type Logger, type PeerConnection, type PeerRpc, type Plugin, type PluginAPI, type PluginMetrics, type ProtocolHandler, type RelayEvents, type TypedEventTarget
} from '@lume/types'
import { sign, type KeyPair } from '@lume/crypto'

const PLUGIN_NAME = /^[a-z][a-z0-9-]{0,31}$/

/** What the host needs from the relay. */
export interface PluginHostContext {
  keyPair: KeyPair
  methods: MethodRegistry
  events: TypedEventTarget<RelayEvents>
  logger: Logger
  /** Configuration of each plugin, by plugin name (the relay config's `plugin.<name>`). */
  pluginConfig: (name: string) => Readonly<Record<string, unknown>>
  /** Connections open now (for protocols registered late). */
  openConnections: () => PeerConnection[]
  /** Install the relay's answer cache (once). */
  useAnswerCache: (hook: AnswerCacheHook) => void
  /** A raw RPC channel to another relay. */
  connect: (publicKey: Uint8Array, timeoutMs?: number) => Promise<PeerRpc>
  /** The relay-wide book plugins define their budgets and rates in. */
  book: BudgetBook
  /** Put a mutable DHT record under the relay's key, signed by the relay. */
  putRecord: (value: Uint8Array, seq: number) => Promise<void>
  /** The relay's directory (plugins get `<dir>/plugins/<name>`), or null. */
  dataDir: string | null
  /** The metrics host service for a plugin, by plugin name. */
  metrics: (name: string) => PluginMetrics
}

interface Loaded {
  plugin: Plugin
  protocols: ProtocolHandler[]
}

/**
 * Starts plugins with their own scoped {@link PluginAPI}, keeps track of the
 * protocols they run on connections, and stops them in reverse order.
 */
export class PluginHost {
  private readonly loaded: Loaded[] = []
  private readonly protocolNames = new Set<string>()
  private readonly cleanups = new Map<PeerConnection, Array<() => void>>()
  private readonly services = new Map<string, unknown>()

  constructor (private readonly ctx: PluginHostContext) {}

  /** Names of the plugins that started. */
  get names (): string[] {
    return this.loaded.map((l) => l.plugin.name)
  }

  /**
   * Start each plugin in turn. One that fails (wrong API version, a bad name,
   * a throw in `start`) is logged with its name and skipped; the relay goes on.
   */
  async startAll (plugins: readonly Plugin[]): Promise<{ started: string[], failed: string[] }> {
    const failed: string[] = []
    for (const plugin of startOrder(plugins)) {
      const name = typeof plugin?.name === 'string' ? plugin.name : '(unnamed)'
      try {
        await this.start(plugin)
      } catch (err) {
        failed.push(name)
        this.ctx.logger.error({ plugin: name, err }, `plugin ${name} failed to start; the relay continues without it`)
      }
    }
    const started = this.names
    this.ctx.events.emit('plugins:loaded', { plugins: started, failed })
    return { started, failed }
  }

  /** Run every registered protocol on a new connection. */
  onConnection (connection: PeerConnection): void {
    for (const { protocols } of this.loaded) {
      for (const protocol of protocols) this.attach(protocol, connection)
    }
  }

  /** Run the cleanups protocols returned for a closed connection. */
  onDisconnect (connection: PeerConnection): void {
    for (const cleanup of this.cleanups.get(connection) ?? []) safely(cleanup, this.ctx.logger)
    this.cleanups.delete(connection)
  }

  /** Stop every plugin, last started first. Errors are logged, never thrown. */
  async stopAll (): Promise<void> {
    for (const { plugin } of [...this.loaded].reverse()) {
      try {
        await plugin.stop?.()
      } catch (err) {
        this.ctx.logger.error({ plugin: plugin.name, err }, `plugin ${plugin.name} failed to stop`)
      }
    }
    this.loaded.length = 0
    this.services.clear()
  }

  private async start (plugin: Plugin): Promise<void> {
    if (typeof plugin !== 'object' || plugin === null || typeof plugin.start !== 'function') {
      throw new LumeError(ErrorCode.PLUGIN_FAILED, 'not a plugin: expected an object with name, apiVersion and start()')
    }
    if (!PLUGIN_NAME.test(plugin.name)) throw new LumeError(ErrorCode.PLUGIN_FAILED, `plugin name must match ${PLUGIN_NAME}, got "${plugin.name}"`)
    if (plugin.apiVersion !== PLUGIN_API_VERSION) {
      throw new LumeError(ErrorCode.PLUGIN_FAILED, `plugin ${plugin.name} was written for plugin API ${plugin.apiVersion}; this relay speaks ${PLUGIN_API_VERSION}`)
    }
    if (this.loaded.some((l) => l.plugin.name === plugin.name)) throw new LumeError(ErrorCode.ALREADY_REGISTERED, `a plugin named ${plugin.name} is already loaded`)
    const missing = (plugin.dependsOn ?? []).filter((dep) => !this.loaded.some((l) => l.plugin.name === dep))
    if (missing.length > 0) throw new LumeError(ErrorCode.PLUGIN_FAILED, `plugin ${plugin.name} needs ${missing.join(', ')} (add it to plugins)`)
    const entry: Loaded = { plugin, protocols: [] }
    await plugin.start(this.apiFor(entry))
    this.loaded.push(entry)
    this.ctx.logger.info({ plugin: plugin.name }, `plugin ${plugin.name} started`)
  }

  private apiFor (entry: Loaded): PluginAPI {
    const { ctx } = this
    const name = entry.plugin.name
    return {
      apiVersion: PLUGIN_API_VERSION,
      name,
      relayPublicKey: ctx.keyPair.publicKey,
      config: ctx.pluginConfig(name),
      logger: ctx.logger.child({ plugin: name }),
      events: ctx.events,
      registerMethod: (method) => {
        ctx.methods.register({ ...method, name: `${name}.${method.name}` } as Parameters<MethodRegistry['register']>[0])
      },
      registerProtocol: (protocol) => {
        if (this.protocolNames.has(protocol.name)) throw new LumeError(ErrorCode.ALREADY_REGISTERED, `protocol ${protocol.name} is already registered`)
        this.protocolNames.add(protocol.name)
        entry.protocols.push(protocol)
        // Connections already open get it too (Lume's old relay forgot them).
        for (const connection of ctx.openConnections()) this.attach(protocol, connection)
      },
      sign: (context, message) => sign(context, message, ctx.keyPair.secretKey),
      useAnswerCache: (hook) => ctx.useAnswerCache(hook),
      connect: async (publicKey, timeoutMs) => await ctx.connect(publicKey, timeoutMs),
      defineBudget: (kind, defaults) => { ctx.book.defineBudget(kind, defaults) },
      defineRate: (kind, defaults) => { ctx.book.defineRate(kind, defaults) },
      putRecord: async (value, seq) => { await ctx.putRecord(value, seq) },
      provide: (service) => { this.services.set(name, service) },
      use: <T>(other: string) => this.services.get(other) as T | undefined,
      dataDir: ctx.dataDir === null ? null : join(ctx.dataDir, 'plugins', name),
      metrics: ctx.metrics(name)
    }
  }

  private attach (protocol: ProtocolHandler, connection: PeerConnection): void {
    try {
      const cleanup = protocol.onConnection(connection)
      if (typeof cleanup === 'function') {
        const list = this.cleanups.get(connection) ?? []
        list.push(cleanup)
        this.cleanups.set(connection, list)
      }
    } catch (err) {
      this.ctx.logger.error({ protocol: protocol.name, err }, `protocol ${protocol.name} failed on a connection`)
    }
  }
}

/**
 * Plugins in configured order, except that each comes after the plugins it
 * `dependsOn` or `uses` (when those are in the list; a missing `dependsOn`
 * fails at start).
 */
function startOrder (plugins: readonly Plugin[]): Plugin[] {
  const out: Plugin[] = []
  const visiting = new Set<Plugin>()
  const byName = new Map(plugins.filter((p) => typeof p?.name === 'string').map((p) => [p.name, p]))
  const visit = (plugin: Plugin): void => {
    if (out.includes(plugin) || visiting.has(plugin)) return
    visiting.add(plugin)
    const deps = [...(Array.isArray(plugin?.dependsOn) ? plugin.dependsOn : []), ...(Array.isArray(plugin?.uses) ? plugin.uses : [])]
    for (const dep of deps) {
      const target = byName.get(dep)
      if (target !== undefined) visit(target)
    }
    out.push(plugin)
  }
  for (const plugin of plugins) visit(plugin)
  return out
}

function safely (fn: () => void, logger: Logger): void {
  try {
    fn()
  } catch (err) {
    logger.error({ err }, 'connection cleanup failed')
  }
}
