import type { Redis as RedisClient } from 'ioredis'
import { ErrorCode, importPeer, LumeError } from '@lume/types'
import { readStoredEntry, serializeEntry, type RegistryEntry } from '../lib/entry.js'
import { DEFAULT_MAX_PINS, type StoreOptions } from '../lib/memory-store.js'
import type { PutResult, PutStatus, RegistryStore } from '../lib/store.js'
import { Watchers } from '../lib/watchers.js'
import { COMPARE_LUA, PIN_LUA } from './lua.js'

// ioredis is an optional peer: only this entry point needs it.
const { Redis } = await importPeer('ioredis', '@lume/registry/redis', async () => await import('ioredis'))

/** Options for {@link RedisStore.connect}. */
export interface RedisStoreOptions extends StoreOptions {
  /** Key prefix; relays sharing entries use the same one. @default 'lume:registry:' */
  prefix?: string
}

// Compare-and-set in one atomic script. Returns { status, stored entry }.
const PUT_SCRIPT = `${COMPARE_LUA}
local current = redis.call('GET', KEYS[1])
local new = ARGV[1]
if current then
  local verdict = compare(new, current)
  if verdict then return {verdict, current} end
else
  local max = tonumber(ARGV[2])
  if max >= 0 and redis.call('SCARD', KEYS[2]) >= max and redis.call('SISMEMBER', KEYS[3], KEYS[1]) == 0 then
    return {'full', ''}
  end
  redis.call('SADD', KEYS[2], KEYS[1])
end
redis.call('SET', KEYS[1], new)
redis.call('PUBLISH', KEYS[4], new)
return {'stored', new}
`

/**
 * Registry entries in Redis. `put` is one Lua script (atomic: no lost update
 * when relays race), and every stored entry is published so that relays
 * sharing the Redis learn of each other's writes.
 */
export class RedisStore implements RegistryStore {
  private readonly watchers = new Watchers()
  private closed = false
  private closing: Promise<void> | null = null

  private constructor (
    private readonly redis: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly prefix: string,
    private readonly options: RedisStoreOptions
  ) {}

  /** Connect to Redis at `url` (e.g. `redis://127.0.0.1:6379` or a unix socket path). */
  static async connect (url: string, options: RedisStoreOptions = {}): Promise<RedisStore> {
    const connect = (): RedisClient => url.startsWith('/') ? new Redis({ path: url, lazyConnect: true, maxRetriesPerRequest: 2 }) : new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 })
    const redis = connect()
    const subscriber = connect()
    try {
      await redis.connect()
      await subscriber.connect()
    } catch (err) {
      redis.disconnect()
      subscriber.disconnect()
      throw new LumeError(ErrorCode.CONNECTION_FAILED, `cannot reach Redis at ${url}`, { cause: err })
    }
    redis.defineCommand('lumeRegistryPut', { numberOfKeys: 4, lua: PUT_SCRIPT })
    redis.defineCommand('lumeRegistryPin', { numberOfKeys: 1, lua: PIN_LUA })
    const store = new RedisStore(redis, subscriber, options.prefix ?? 'lume:registry:', options)
    await store.listen()
    return store
  }

  async get (pk: Uint8Array): Promise<RegistryEntry | null> {
    this.assertOpen()
    const bytes = await this.redis.getBuffer(this.key(pk))
    return bytes === null ? null : readStoredEntry(bytes)
  }

  async put (entry: RegistryEntry): Promise<PutResult> {
    this.assertOpen()
    const command = (this.redis as unknown as { lumeRegistryPutBuffer: (...args: Array<string | Buffer>) => Promise<[Buffer, Buffer]> }).lumeRegistryPutBuffer
    const [status, current] = await command.call(this.redis,
      this.key(entry.pk), `${this.prefix}keys`, `${this.prefix}pins`, `${this.prefix}updates`,
      Buffer.from(serializeEntry(entry)), String(this.options.maxKeys ?? -1))
    const text = status.toString() as PutStatus | 'full'
    if (text === 'full') throw new LumeError(ErrorCode.STORE_FULL, `registry store holds its limit of ${this.options.maxKeys} keys`)
    return { status: text, current: text === 'stored' ? entry : readStoredEntry(current) }
  }

  async count (): Promise<number> {
    this.assertOpen()
    return await this.redis.scard(`${this.prefix}keys`)
  }

  async pin (pk: Uint8Array): Promise<void> {
    this.assertOpen()
    const max = this.options.maxPins ?? DEFAULT_MAX_PINS
    const command = (this.redis as unknown as { lumeRegistryPin: (...args: string[]) => Promise<number> }).lumeRegistryPin
    const pinned = await command.call(this.redis, `${this.prefix}pins`, this.key(pk), String(max))
    if (pinned !== 1) throw new LumeError(ErrorCode.STORE_FULL, `registry store holds its limit of ${max} pins`)
  }

  async isPinned (pk: Uint8Array): Promise<boolean> {
    this.assertOpen()
    return (await this.redis.sismember(`${this.prefix}pins`, this.key(pk))) === 1
  }

  watch (listener: (entry: RegistryEntry) => void): () => void {
    return this.watchers.add(listener)
  }

  /** Close; commands already sent are answered first (QUIT runs after them). */
  close (): Promise<void> {
    // Memoised: a second call settles with the first, once the connections are closed.
    this.closing ??= (async () => {
      this.closed = true
      this.watchers.clear()
      this.subscriber.disconnect()
      await this.redis.quit().catch(() => this.redis.disconnect())
    })()
    return this.closing
  }

  private async listen (): Promise<void> {
    await this.subscriber.subscribe(`${this.prefix}updates`)
    this.subscriber.on('messageBuffer', (_channel: Buffer, message: Buffer) => {
      try {
        this.watchers.notify(readStoredEntry(new Uint8Array(message)))
      } catch {}
    })
  }

  private key (pk: Uint8Array): string {
    return `${this.prefix}${Buffer.from(pk).toString('hex')}`
  }

  private assertOpen (): void {
    if (this.closed) throw LumeError.closed('Redis registry store')
  }
}
