import type { HyperDHT } from '@lume/dht'
import type { KeyPair, NoiseSecretStream } from '@lume/dht'
import { RpcConnection, type MethodRegistry, type RequestObserver, type RpcLimits } from '@lume/rpc'
import Protomux from 'protomux'
import { ErrorCode, LumeError, type AnswerCacheHook, type Logger, type MuxLike, type PeerConnection } from '@lume/types'

const hex = (key: Uint8Array): string => Buffer.from(key).toString('hex')

/** What the relay wants to happen on every connection, inbound or outbound. */
export interface ConnectionHooks {
  onOpen (connection: PeerConnection, rpc: RpcConnection): void
  onClose (connection: PeerConnection): void
}

/**
 * The relay's open connections, by peer key. Serves RPC on each, and dials
 * other relays on demand: one dial per key at a time, always with a timeout
 * (a dial to a peer that is not there fails instead of hanging).
 */
export class ConnectionTable {
  private readonly byKey = new Map<string, Set<RpcConnection>>()
  private readonly dialing = new Map<string, Promise<RpcConnection>>()

  constructor (
    private readonly dht: HyperDHT,
    private readonly keyPair: KeyPair,
    private readonly methods: MethodRegistry,
    private readonly limits: Partial<RpcLimits>,
    private readonly logger: Logger,
    private readonly observe: RequestObserver | null,
    private readonly hooks: ConnectionHooks,
    private readonly answerCache: AnswerCacheHook
  ) {}

  /** Number of open connections. */
  get size (): number {
    let n = 0
    for (const set of this.byKey.values()) n += set.size
    return n
  }

  /** Every open connection. */
  all (): RpcConnection[] {
    return [...this.byKey.values()].flatMap((set) => [...set])
  }

  /** Serve RPC on a new socket (inbound or outbound). */
  adopt (socket: NoiseSecretStream): RpcConnection {
    const rpc = RpcConnection.open(socket, { methods: this.methods, keyPair: this.keyPair, limits: this.limits, logger: this.logger, answerCache: this.answerCache, ...(this.observe === null ? {} : { observe: this.observe }) })
    const key = hex(socket.remotePublicKey)
    const set = this.byKey.get(key) ?? new Set()
    set.add(rpc)
    this.byKey.set(key, set)
    // INTERIM (replaced by the budget work): nobody is verified as a relay yet, nothing charged.
    const peer: PeerConnection = {
      remotePublicKey: socket.remotePublicKey,
      remoteHost: '',
      initiator: socket.isInitiator,
      isRelay: async () => socket.isInitiator,
      budget: { hold: () => () => {}, spend: () => {} },
      // The same multiplexer the RPC channel runs on (Protomux keeps one per stream).
      mux: Protomux.from(socket) as unknown as MuxLike,
      destroy: (err) => rpc.destroy(err)
    }
    rpc.signal.addEventListener('abort', () => {
      set.delete(rpc)
      if (set.size === 0) this.byKey.delete(key)
      this.hooks.onClose(peer)
    }, { once: true })
    this.hooks.onOpen(peer, rpc)
    return rpc
  }

  /** An open connection to `publicKey`, dialing it if there is none. */
  async connect (publicKey: Uint8Array, timeoutMs: number): Promise<RpcConnection> {
    const key = hex(publicKey)
    const open = [...(this.byKey.get(key) ?? [])].find((c) => !c.closed)
    if (open !== undefined) return open
    const pending = this.dialing.get(key)
    if (pending !== undefined) return await pending
    const dial = this.dial(publicKey, timeoutMs).finally(() => this.dialing.delete(key))
    this.dialing.set(key, dial)
    return await dial
  }

  /** Close every connection, letting calls in flight finish within `graceMs`. */
  async closeAll (graceMs: number): Promise<void> {
    await Promise.allSettled(this.all().map(async (c) => await c.close(graceMs)))
  }

  private async dial (publicKey: Uint8Array, timeoutMs: number): Promise<RpcConnection> {
    const socket = this.dht.connect(publicKey, { keyPair: this.keyPair })
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy()
        reject(LumeError.timeout(`connect to ${hex(publicKey).slice(0, 12)}`, timeoutMs))
      }, timeoutMs)
      socket.once('open', () => { clearTimeout(timer); resolve() })
      socket.once('error', (err: Error) => {
        clearTimeout(timer)
        reject(new LumeError(ErrorCode.CONNECTION_FAILED, `connect to ${hex(publicKey).slice(0, 12)} failed: ${err.message}`, { cause: err }))
      })
    })
    return this.adopt(socket)
  }
}
