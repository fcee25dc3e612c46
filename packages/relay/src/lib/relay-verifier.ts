import type { HyperDHT, KeyPair, NoiseSecretStream } from '@lume/dht'
import { RpcConnection } from '@lume/rpc'
import { CoreMethods } from '@lume/rpc/core'
import { BoundedMap, TokenBucket, toHex } from '@lume/types'

/** Options for {@link RelayVerifier}. */
export interface RelayVerifierInit {
  dht: HyperDHT
  keyPair: KeyPair
  /** Keys the operator lists as relays: trusted without a dial-back. @default [] */
  listed?: readonly Uint8Array[]
  /** A dial-back that has not answered by then counts as "not a relay". @default 5000 */
  timeoutMs?: number
  /** Dial-backs at once; past it the answer is "not a relay" (not remembered). @default 4 */
  maxConcurrent?: number
  /** New dial-backs per second, and the burst saved. @default 2/s, burst 8 */
  rate?: { perSecond: number, burst: number }
  /** Verdicts remembered (oldest forgotten first). @default 4096 */
  maxCached?: number
}

interface Verdict {
  relay: boolean
  until: number
}

/** A yes is trusted this long; a no (perhaps a relay that was briefly unreachable) for less. */
const YES_MS = 60 * 60_000
const NO_MS = 5 * 60_000

/**
 * Decides whether a peer key belongs to a relay: listed by the operator, or
 * a dial-back to that key reaches a server that holds it and answers
 * `core.info`. Dial-backs are bounded in number and rate and always end
 * within `timeoutMs`, so a flood of new keys costs the relay a few sockets
 * at most; verdicts are cached per key.
 */
export class RelayVerifier {
  private readonly listed: Set<string>
  private readonly verdicts: BoundedMap<string, Verdict>
  private readonly pending = new Map<string, Promise<boolean>>()
  private readonly sockets = new Set<NoiseSecretStream>()
  private readonly bucket: TokenBucket
  private closed = false

  constructor (private readonly init: RelayVerifierInit) {
    this.listed = new Set((init.listed ?? []).map((k) => toHex(k)))
    const rate = init.rate ?? { perSecond: 2, burst: 8 }
    this.bucket = new TokenBucket(rate.perSecond, rate.burst)
    this.verdicts = new BoundedMap(init.maxCached ?? 4096)
  }

  /** True when the operator listed `key` as a relay. */
  isListed (key: Uint8Array): boolean {
    return this.listed.has(toHex(key))
  }

  /** True when `key` is listed or a dial-back proved it a relay lately (never dials). */
  isKnownRelay (key: Uint8Array): boolean {
    if (this.isListed(key)) return true
    const cached = this.verdicts.get(toHex(key))
    return cached !== undefined && cached.relay && cached.until > Date.now()
  }

  /**
   * Whether `key` is a relay (see the class). Never rejects, never hangs past
   * the timeout. `mayDial` is asked before a new dial-back (e.g. to charge the
   * asking peer's address); false answers "not a relay" without remembering it.
   */
  async verify (key: Uint8Array, mayDial: () => boolean = () => true): Promise<boolean> {
    const hex = toHex(key)
    if (this.listed.has(hex)) return true
    if (this.closed) return false
    const cached = this.verdicts.get(hex)
    if (cached !== undefined && cached.until > Date.now()) return cached.relay
    const running = this.pending.get(hex)
    if (running !== undefined) return await running
    if (this.pending.size >= (this.init.maxConcurrent ?? 4) || !mayDial() || !this.bucket.take()) return false
    const check = this.dialBack(key).then((relay) => {
      this.remember(hex, relay)
      return relay
    }, () => false).finally(() => this.pending.delete(hex))
    this.pending.set(hex, check)
    return await check
  }

  /** Stop: dial-backs in progress end as "not a relay". */
  close (): void {
    this.closed = true
    for (const socket of this.sockets) socket.destroy()
  }

  private remember (hex: string, relay: boolean): void {
    if (this.closed) return
    this.verdicts.set(hex, { relay, until: Date.now() + (relay ? YES_MS : NO_MS) })
  }

  private async dialBack (key: Uint8Array): Promise<boolean> {
    const timeoutMs = this.init.timeoutMs ?? 5000
    const socket = this.init.dht.connect(Buffer.from(key), { keyPair: this.init.keyPair })
    socket.on('error', () => {})
    this.sockets.add(socket)
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      const deadline = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs) })
      const answered = (async (): Promise<boolean> => {
        await new Promise<void>((resolve, reject) => {
          socket.once('open', () => resolve())
          socket.once('close', () => reject(new Error('closed')))
        })
        const rpc = RpcConnection.open(socket, { limits: { callTimeoutMs: timeoutMs } })
        const info = await rpc.call(CoreMethods.info, null)
        // The Noise handshake proved the server holds the key; it must also say it is that relay.
        return info.publicKey === toHex(key) && Buffer.from(socket.remotePublicKey).equals(Buffer.from(key))
      })()
      answered.catch(() => {})
      return await Promise.race([answered, deadline])
    } finally {
      clearTimeout(timer)
      this.sockets.delete(socket)
      socket.destroy()
    }
  }
}
