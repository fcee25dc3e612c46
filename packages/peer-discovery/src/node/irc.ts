import { ErrorCode, fromHex, importPeer, LumeError, toHex } from '@lume/types'
import { fromBase64url, toBase64url } from '../lib/base64url.js'
import type { DiscoverySource } from '../lib/discovery.js'
import { decodeRecord, encodeRecord, verifyRecord, type SignedPeerRecord } from '../lib/record.js'
import { ircWebSocketTransport } from './irc-websocket.js'

// irc-framework is an optional peer: only this entry point needs it.
const { default: IRC } = await importPeer('irc-framework', '@lume/peer-discovery/node', async () => await import('irc-framework'))

/** Where the IRC rendezvous is. */
export interface IrcOptions {
  /** The IRC server's host name or address. */
  host: string
  /** The IRC server's port (TCP, or the WebSocket port with `websocket: true`). */
  port: number
  /** The channel relays sit in. @default '#lume-relays' */
  channel?: string
  /** Nick prefix; a random suffix is added. @default 'lume' */
  nick?: string
  /** Connect over WebSocket (e.g. inspircd's m_websocket) instead of TCP. @default false */
  websocket?: boolean
  /** The Origin header sent on the WebSocket handshake (inspircd requires one). @default 'http://localhost' */
  origin?: string
  /** Time to get connected and into the channel. @default 10000 (inspircd registers on a 1 s tick) */
  connectTimeoutMs?: number
  /** Answers with records older than this are ignored. @default 1 day */
  maxRecordAgeMs?: number
}

// The rendezvous protocol, one PRIVMSG each in the channel:
//   LUME? <hex key>             who knows where this relay is?
//   LUME! <hex key> <base64url signed record>   the relay itself answers
const ASK = /^LUME\? ([0-9a-f]{64})$/
const ANSWER = /^LUME! ([0-9a-f]{64}) ([A-Za-z0-9_-]{1,2000})$/

type Client = InstanceType<typeof IRC.Client>

/** Connect and join; rejects with CONNECTION_FAILED or TIMEOUT, never hangs. */
async function join (options: IrcOptions): Promise<Client> {
  const client = new IRC.Client()
  const channel = options.channel ?? '#lume-relays'
  const timeoutMs = options.connectTimeoutMs ?? 10_000
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { client.quit(); reject(LumeError.timeout('IRC connect', timeoutMs)) }, timeoutMs)
    const fail = (why: string): void => { clearTimeout(timer); reject(new LumeError(ErrorCode.CONNECTION_FAILED, `IRC: ${why}`)) }
    client.on('socket close', () => fail('connection closed'))
    client.on('registered', () => { client.join(channel) })
    client.on('join', (event: { channel: string, nick: string }) => {
      if (event.channel.toLowerCase() === channel.toLowerCase() && event.nick === client.user.nick) { clearTimeout(timer); resolve() }
    })
    client.connect({
      host: options.host,
      port: options.port,
      nick: `${options.nick ?? 'lume'}${Math.random().toString(36).slice(2, 8)}`,
      username: 'lume',
      gecos: 'Lume relay discovery',
      auto_reconnect: false,
      ...(options.websocket === true ? { transport: websocketTransport(options.origin ?? 'http://localhost') } : {})
    })
  })
  return client
}

function websocketTransport (origin: string): unknown {
  return ircWebSocketTransport(origin)
}

/**
 * Discovery over IRC: join the channel, ask for a key, and wait for the
 * relay's signed record. Anyone in the channel can answer; only a record
 * signed by the key (and fresh) is accepted by PeerDiscovery, so forged or
 * stale answers and junk are ignored.
 */
export class IrcSource implements DiscoverySource {
  private client: Promise<Client> | null = null
  private closing: Promise<void> | null = null
  private readonly waiting = new Map<string, Array<(record: Uint8Array) => void>>()

  constructor (private readonly options: IrcOptions) {}

  async find (publicKey: Uint8Array, signal: AbortSignal): Promise<Uint8Array | null> {
    const client = await this.connected()
    const key = toHex(publicKey)
    return await new Promise<Uint8Array | null>((resolve, reject) => {
      const list = this.waiting.get(key) ?? []
      const onAnswer = (record: Uint8Array): void => { cleanup(); resolve(record) }
      const onAbort = (): void => { cleanup(); reject(LumeError.aborted('IRC lookup', signal.reason)) }
      const cleanup = (): void => {
        signal.removeEventListener('abort', onAbort)
        const left = (this.waiting.get(key) ?? []).filter((f) => f !== onAnswer)
        if (left.length === 0) this.waiting.delete(key)
        else this.waiting.set(key, left)
      }
      list.push(onAnswer)
      this.waiting.set(key, list)
      signal.addEventListener('abort', onAbort, { once: true })
      client.say(this.options.channel ?? '#lume-relays', `LUME? ${key}`)
    })
  }

  /** Leave the channel and disconnect. Idempotent: every call returns the same promise; lookups after it fail with `CLOSED`. */
  close (): Promise<void> {
    this.closing ??= (async () => {
      const client = this.client
      this.client = null
      if (client !== null) (await client.catch(() => null))?.quit()
    })()
    return this.closing
  }

  private async connected (): Promise<Client> {
    if (this.closing !== null) throw LumeError.closed('IRC source')
    this.client ??= join(this.options).then((client) => {
      client.on('message', (event: { target: string, message: string }) => {
        const match = ANSWER.exec(event.message)
        if (match === null) return
        let bytes: Uint8Array
        try { bytes = fromBase64url(match[2] as string) } catch { return }
        // Verified here already: a forged or stale answer (anyone can talk in the
        // channel) must not end the wait for the real one.
        const waiters = this.waiting.get(match[1] as string)
        if (waiters === undefined) return
        try {
          verifyRecord(decodeRecord(bytes), fromHex(match[1] as string, 32), this.options.maxRecordAgeMs ?? 24 * 3600_000)
        } catch {
          return
        }
        for (const resolve of waiters) resolve(bytes)
      })
      client.on('socket close', () => { this.client = null })
      return client
    })
    this.client.catch(() => { this.client = null })
    return await this.client
  }
}

/**
 * The relay side: sit in the channel and answer questions for our key with
 * our signed record (`record()` is asked each time, so it can be refreshed).
 */
export class IrcAnswerer {
  private client: Client | null = null
  private closing: Promise<void> | null = null

  constructor (private readonly options: IrcOptions, private readonly publicKey: Uint8Array, private readonly record: () => SignedPeerRecord) {}

  async start (): Promise<void> {
    const client = await join(this.options)
    const key = toHex(this.publicKey)
    client.on('message', (event: { target: string, message: string }) => {
      const match = ASK.exec(event.message)
      if (match === null || match[1] !== key) return
      client.say(event.target.startsWith('#') ? event.target : (this.options.channel ?? '#lume-relays'), `LUME! ${key} ${toBase64url(encodeRecord(this.record()))}`)
    })
    // Closed while joining: leave at once rather than hold a connection nobody will close.
    if (this.closing !== null) { client.quit(); throw LumeError.closed('IRC answerer') }
    this.client = client
  }

  /** Leave the channel and disconnect. Idempotent: every call returns the same promise. */
  close (): Promise<void> {
    this.closing ??= Promise.resolve().then(() => {
      this.client?.quit()
      this.client = null
    })
    return this.closing
  }
}
