import type { HyperDHT, KeyPair, NoiseSecretStream } from '@lume/dht'
import { RpcConnection, type MethodRegistry, type RequestObserver, type RpcLimits } from '@lume/rpc'
import { ThrottledLog, type BudgetBook } from '@lume/rpc/internal'
import Protomux from 'protomux'
import { ErrorCode, LumeError, openWithin, type AnswerCacheHook, type Logger, type MuxLike, type PeerConnection } from '@lume/types'
import { RelayBudget } from './limits.js'
import type { RelayVerifier } from './relay-verifier.js'
import { udxCounters, type TrafficMeter } from './traffic.js'
import { chooseVictim } from './shedding.js'

const hex = (key: Uint8Array): string => Buffer.from(key).toString('hex')

/** What the relay wants to happen on every connection, inbound or outbound. */
export interface ConnectionHooks {
  onOpen (connection: PeerConnection, rpc: RpcConnection): void
  onClose (connection: PeerConnection): void
}

/** What the connection table needs from the relay. */
export interface ConnectionTableInit {
  dht: HyperDHT
  keyPair: KeyPair
  methods: MethodRegistry
  limits: Partial<RpcLimits>
  logger: Logger
  observe: RequestObserver | null
  hooks: ConnectionHooks
  answerCache: AnswerCacheHook
  /** Every connection is charged here. */
  book: BudgetBook
  /** Answers `PeerConnection.isRelay()` for connections the peer dialed. */
  verifier: RelayVerifier
  /** Connections from these addresses are charged one by one, not per address. */
  trustedHosts: ReadonlySet<string>
  /** Counts each connection's bytes on the wire (HyperDHT connections; WebSocket ones are counted by their endpoint). */
  traffic: TrafficMeter
}

/**
 * The relay's open connections, by peer key. Serves RPC on each, charging
 * every inbound one to its address and to the relay's connection cap, and
 * dials other relays on demand: one dial per key at a time, always with a
 * timeout (a dial to a peer that is not there fails instead of hanging).
 */
export class ConnectionTable {
  private readonly byKey = new Map<string, Set<RpcConnection>>()
  private readonly dialing = new Map<string, Promise<RpcConnection>>()
  private readonly inbound = new Set<RpcConnection>()
  private readonly dht: HyperDHT
  private readonly keyPair: KeyPair
  private readonly sheddingLog: ThrottledLog

  constructor (private readonly init: ConnectionTableInit) {
    this.dht = init.dht
    this.keyPair = init.keyPair
    this.sheddingLog = new ThrottledLog(init.logger)
  }

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

  /**
   * Serve RPC on a new socket (inbound or outbound). An inbound one over its
   * address's share or the relay's cap is closed at once (returned closed);
   * at the relay's cap, a connection of the address holding the most is shed
   * first if the newcomer's address holds fewer.
   */
  adopt (socket: NoiseSecretStream): RpcConnection {
    const { init } = this
    const rpc = RpcConnection.open(socket, { methods: init.methods, keyPair: this.keyPair, limits: init.limits, logger: init.logger, answerCache: init.answerCache, book: init.book, chargeAlone: init.trustedHosts.has(socket.rawStream?.remoteHost ?? ''), ...(init.observe === null ? {} : { observe: init.observe }) })
    // Relays the operator listed are not capped: the operator vouched for them.
    if (!socket.isInitiator && !init.verifier.isListed(socket.remotePublicKey) && !this.admit(rpc)) return rpc
    const key = hex(socket.remotePublicKey)
    const set = this.byKey.get(key) ?? new Set()
    set.add(rpc)
    this.byKey.set(key, set)
    const peer: PeerConnection = {
      remotePublicKey: socket.remotePublicKey,
      remoteHost: rpc.remoteHost,
      initiator: socket.isInitiator,
      // The verifier caches verdicts per key; a "no" from a saturated verifier is not remembered, so ask again later.
      // A dial-back is charged to the peer's address, so one address cannot use up the relay's dial-backs.
      isRelay: async () => socket.isInitiator || await init.verifier.verify(socket.remotePublicKey, () => spends(rpc, RelayBudget.DIAL_BACKS)),
      budget: rpc.budget,
      // The same multiplexer the RPC channel runs on (Protomux keeps one per stream).
      mux: Protomux.from(socket) as unknown as MuxLike,
      destroy: (err) => rpc.destroy(err)
    }
    const counters = udxCounters(socket.rawStream)
    const untrack = counters === null ? null : init.traffic.track(counters)
    rpc.signal.addEventListener('abort', () => {
      untrack?.()
      set.delete(rpc)
      this.inbound.delete(rpc)
      if (set.size === 0) this.byKey.delete(key)
      init.hooks.onClose(peer)
    }, { once: true })
    init.hooks.onOpen(peer, rpc)
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
    await Promise.allSettled(this.all().map(async (c) => await c.close({ graceMs })))
  }

  // Charge an inbound connection to the connection budget; false (and closed) when refused.
  private admit (rpc: RpcConnection): boolean {
    try {
      rpc.budget.hold(RelayBudget.CONNECTIONS)
    } catch (err) {
      if (!LumeError.hasCode(err, ErrorCode.BUSY) || !this.shedFor(rpc.remoteHost)) {
        rpc.destroy()
        return false
      }
      try {
        rpc.budget.hold(RelayBudget.CONNECTIONS)
      } catch {
        rpc.destroy()
        return false
      }
    }
    this.inbound.add(rpc)
    return true
  }

  // At the relay's cap: shed a connection of the address holding the most, if fair (see chooseVictim).
  private shedFor (host: string): boolean {
    const victim = chooseVictim(this.inbound, host, (h) => this.init.book.usedBy(h, RelayBudget.CONNECTIONS))
    if (victim === null) return false
    this.sheddingLog.warn('shed', { host: victim.remoteHost, for: host }, 'connection cap reached: closing a connection of the address holding the most')
    victim.destroy(new LumeError(ErrorCode.BUSY, 'shed: the relay is at its connection cap'))
    return true
  }

  private async dial (publicKey: Uint8Array, timeoutMs: number): Promise<RpcConnection> {
    const socket = this.dht.connect(publicKey, { keyPair: this.keyPair })
    await openWithin(socket, timeoutMs, `connect to ${hex(publicKey).slice(0, 12)}`)
    return this.adopt(socket)
  }
}

function spends (rpc: RpcConnection, kind: string): boolean {
  try {
    rpc.budget.spend(kind)
    return true
  } catch {
    return false
  }
}
