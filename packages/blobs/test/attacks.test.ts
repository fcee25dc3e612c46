import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RpcConnection } from '@lume/rpc'
import { rawBytesCodec } from '@lume/rpc/internal'
import { emptyCodec } from '@lume/types'
import { generateKeyPair, sign } from '@lume/crypto'
import { hash as blake3 } from '@lume/bao-stream'
import { BlobLimitKinds, BlobMethods, MAX_READ_BYTES, PIN_CONTEXT, pinMessage, signPin } from '../src/index.js'
import { BlobNet, testBytes, type BlobRelay } from './helpers/relays.js'

const owner = generateKeyPair()
const NO_OWNER = new Uint8Array(32)

describe('a hostile uploader', () => {
  let net: BlobNet
  let relay: BlobRelay
  let idleRelay: BlobRelay
  const conns: RpcConnection[] = []
  const connect = (): RpcConnection => {
    const conn = RpcConnection.open(net.testnet.createNode().connect(relay.keyPair.publicKey))
    conns.push(conn)
    return conn
  }
  const held = (): number => relay.relay.book.used(BlobLimitKinds.uploadBytes)
  const temps = async (): Promise<string[]> => await readdir(join(relay.dir, 'plugins', 'blobs', 'tmp'))
  const upload = async (conn: RpcConnection, content: Uint8Array): Promise<number> => {
    const id = await conn.call(BlobMethods.begin, { size: content.byteLength, owner: NO_OWNER })
    for (let at = 0; at < content.byteLength; at += 256 * 1024) await conn.call(BlobMethods.write, { id, offset: at, bytes: content.subarray(at, at + 256 * 1024) })
    return id
  }

  beforeAll(async () => {
    net = await BlobNet.create()
    relay = await net.add({ maxBlobBytes: 8 * 1024 * 1024 })
    idleRelay = await net.add({ uploadIdleMs: 500 })
  }, 30_000)
  afterAll(async () => {
    for (const c of conns) c.destroy()
    await net?.close()
  }, 30_000)

  it('cannot open an upload larger than the relay takes, nor write past what it declared', async () => {
    const conn = connect()
    await expect(conn.call(BlobMethods.begin, { size: 8 * 1024 * 1024 + 1, owner: NO_OWNER })).rejects.toMatchObject({ code: 'TOO_LARGE' })
    const id = await conn.call(BlobMethods.begin, { size: 1000, owner: NO_OWNER })
    await expect(conn.call(BlobMethods.write, { id, offset: 0, bytes: new Uint8Array(1001) })).rejects.toMatchObject({ code: 'TOO_LARGE' })
    // The upload is gone, and so is what it held.
    await expect(conn.call(BlobMethods.write, { id, offset: 0, bytes: new Uint8Array(10) })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect.poll(held).toBe(0)
    await expect.poll(temps).toEqual([])
  })

  it('stores nothing without the owner\'s signature over this relay, this hash and this size', async () => {
    const conn = connect()
    const content = testBytes(100_000, 5)
    const hash = blake3(content)
    const relayKey = relay.keyPair.publicKey
    const finish = async (signature: Uint8Array, claimed = hash): Promise<null> => {
      const id = await upload(conn, content)
      return await conn.call(BlobMethods.finish, { id, owner: owner.publicKey, hash: claimed, signature })
    }
    const other = generateKeyPair()
    await expect(finish(new Uint8Array(64))).rejects.toMatchObject({ code: 'BAD_SIGNATURE' })
    await expect(finish(signPin(other.secretKey, relayKey, hash, content.length))).rejects.toMatchObject({ code: 'BAD_SIGNATURE' })
    // A pin signed for another relay is not replayable here.
    await expect(finish(signPin(owner.secretKey, generateKeyPair().publicKey, hash, content.length))).rejects.toMatchObject({ code: 'BAD_SIGNATURE' })
    await expect(finish(sign(PIN_CONTEXT, pinMessage(relayKey, hash, content.length + 1), owner.secretKey))).rejects.toMatchObject({ code: 'BAD_SIGNATURE' })
    // Signed, but for other bytes than those sent.
    const wrong = blake3(new Uint8Array([1]))
    await expect(finish(signPin(owner.secretKey, relayKey, wrong, content.length), wrong)).rejects.toMatchObject({ code: 'HASH_MISMATCH' })
    expect(await conn.call(BlobMethods.info, hash)).toBe(null)
    await expect.poll(held).toBe(0)
    await expect.poll(temps).toEqual([])
  })

  it('cannot finish a short upload, nor write out of order, nor touch another connection\'s upload', async () => {
    const conn = connect()
    const content = testBytes(50_000, 6)
    const id = await conn.call(BlobMethods.begin, { size: 60_000, owner: NO_OWNER })
    await conn.call(BlobMethods.write, { id, offset: 0, bytes: content })
    await expect(connect().call(BlobMethods.write, { id, offset: 50_000, bytes: new Uint8Array(10) })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(conn.call(BlobMethods.finish, { id, owner: owner.publicKey, hash: blake3(content), signature: signPin(owner.secretKey, relay.keyPair.publicKey, blake3(content), 60_000) })).rejects.toMatchObject({ code: 'TRUNCATED' })
    const id2 = await conn.call(BlobMethods.begin, { size: 60_000, owner: NO_OWNER })
    await expect(conn.call(BlobMethods.write, { id: id2, offset: 10, bytes: content })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    await expect.poll(held).toBe(0)
  })

  it('answers garbage with BAD_FRAME and keeps serving', async () => {
    const conn = connect()
    for (const name of ['blobs.begin', 'blobs.write', 'blobs.finish', 'blobs.read', 'blobs.info', 'blobs.fetch', 'blobs.holders']) {
      await expect(conn.call({ name, request: rawBytesCodec, response: emptyCodec }, testBytes(37, name.length))).rejects.toMatchObject({ code: 'BAD_FRAME' })
    }
    await expect(conn.call(BlobMethods.read, { hash: blake3(new Uint8Array(0)), start: 0, len: MAX_READ_BYTES + 1 })).rejects.toMatchObject({ code: 'TOO_LARGE' })
    const content = testBytes(20_000, 9)
    const put = await net.client([relay]).put(content, { keyPair: owner })
    expect((await net.client([relay]).bytes(put.hash)).byteLength).toBe(20_000)
    // Pinning someone's blob for a key one does not hold, or at another size, is refused.
    const victim = generateKeyPair()
    await expect(conn.call(BlobMethods.pin, { owner: victim.publicKey, hash: put.hash, signature: signPin(owner.secretKey, relay.keyPair.publicKey, put.hash, 20_000) })).rejects.toMatchObject({ code: 'BAD_SIGNATURE' })
    await expect(conn.call(BlobMethods.pin, { owner: victim.publicKey, hash: put.hash, signature: signPin(victim.secretKey, relay.keyPair.publicKey, put.hash, 20_001) })).rejects.toMatchObject({ code: 'BAD_SIGNATURE' })
  })

  it('releases an upload that stops half-way, when the connection closes and when it goes idle', async () => {
    const conn = connect()
    await conn.call(BlobMethods.begin, { size: 4_000_000, owner: NO_OWNER })
    const id = await conn.call(BlobMethods.begin, { size: 4_000_000, owner: NO_OWNER })
    await conn.call(BlobMethods.write, { id, offset: 0, bytes: testBytes(300_000) })
    expect(held()).toBe(8_000_000)
    expect((await temps()).length).toBe(2)
    conn.destroy()
    await expect.poll(held, { timeout: 10_000 }).toBe(0)
    await expect.poll(temps, { timeout: 10_000 }).toEqual([])
    // Idle: a connection that stays but stops sending loses its upload.
    const idle = RpcConnection.open(net.testnet.createNode().connect(idleRelay.keyPair.publicKey))
    conns.push(idle)
    const quiet = await idle.call(BlobMethods.begin, { size: 1000, owner: NO_OWNER })
    expect(idleRelay.relay.book.used(BlobLimitKinds.uploadBytes)).toBe(1000)
    await expect.poll(() => idleRelay.relay.book.used(BlobLimitKinds.uploadBytes), { timeout: 10_000 }).toBe(0)
    await expect(idle.call(BlobMethods.write, { id: quiet, offset: 0, bytes: new Uint8Array(10) })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('bounds parallel uploads and their bytes per peer, without touching other peers', async () => {
    const conn = connect()
    const ids = await Promise.all(Array.from({ length: 4 }, async () => await conn.call(BlobMethods.begin, { size: 1_000_000, owner: NO_OWNER })))
    expect(ids.length).toBe(4)
    const more = await Promise.allSettled(Array.from({ length: 20 }, async () => await conn.call(BlobMethods.begin, { size: 1000, owner: NO_OWNER })))
    expect(more.every((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'RATE_LIMITED')).toBe(true)
    expect(held()).toBe(4_000_000)
    const other = connect()
    const id = await other.call(BlobMethods.begin, { size: 1000, owner: NO_OWNER })
    await other.call(BlobMethods.abort, id)
    for (const i of ids) await conn.call(BlobMethods.abort, i)
    await expect.poll(held).toBe(0)
  })

  it('bounds uploads per remote address too: fresh keys from one address share its limit', async () => {
    // 16 per address by default: four connections (keys are free) fill it, a fifth gets nothing.
    const sybils = Array.from({ length: 5 }, connect)
    const opened = await Promise.allSettled(sybils.flatMap((c) => Array.from({ length: 4 }, async () => ({ c, id: await c.call(BlobMethods.begin, { size: 1000, owner: NO_OWNER }) }))))
    const ok = opened.flatMap((r) => r.status === 'fulfilled' ? [r.value] : [])
    expect(ok.length).toBe(16)
    expect(opened.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 'RATE_LIMITED')).toBe(true)
    for (const c of sybils) c.destroy()
    await expect.poll(held, { timeout: 10_000 }).toBe(0)
  })
})

describe('a hostile reader and a hoarder of tiny blobs', () => {
  let net: BlobNet
  let relay: BlobRelay
  const conns: RpcConnection[] = []

  beforeAll(async () => {
    net = await BlobNet.create()
    relay = await net.add({ perKeyBytes: 10_000 })
  }, 30_000)
  afterAll(async () => {
    for (const c of conns) c.destroy()
    await net?.close()
  }, 30_000)

  it('charges every pinned blob at least one file-system block, so tiny blobs cannot pile up uncounted', async () => {
    const client = net.client([relay])
    const hoarder = generateKeyPair()
    await client.put(new Uint8Array([1]), { keyPair: hoarder })
    await client.put(new Uint8Array([2]), { keyPair: hoarder })
    await expect(client.put(new Uint8Array([3]), { keyPair: hoarder })).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' })
  })

  it('bounds the answer bytes one peer can make the relay hold with parallel reads', async () => {
    const big = testBytes(4 * 1024 * 1024, 3)
    const owner2 = generateKeyPair()
    const roomy = await net.add({ perKeyBytes: 64 * 1024 * 1024 })
    const { hash } = await net.client([roomy]).put(big, { keyPair: owner2 })
    const conn = RpcConnection.open(net.testnet.createNode().connect(roomy.keyPair.publicKey))
    conns.push(conn)
    const reads = await Promise.allSettled(Array.from({ length: 64 }, async () => await conn.call(BlobMethods.read, { hash, start: 0, len: MAX_READ_BYTES })))
    const refused = reads.filter((r) => r.status === 'rejected')
    expect(refused.length).toBeGreaterThan(0)
    expect(refused.every((r) => (r.reason as { code?: string }).code === 'RATE_LIMITED')).toBe(true)
    expect(roomy.relay.book.used(BlobLimitKinds.readBytes)).toBe(0)
  })

  it('charges a read for the outboard it is cut from, so tiny reads of a big blob cannot pile up outboards', async () => {
    // 64 MiB: a 256 KiB outboard. Paced answers keep the reads in flight together.
    const huge = await net.add({ perKeyBytes: 128 * 1024 * 1024, serveBytesPerSecond: 4 * 1024 * 1024 })
    const { hash } = await net.client([huge]).put(testBytes(64 * 1024 * 1024, 5), { keyPair: generateKeyPair() })
    const conn = RpcConnection.open(net.testnet.createNode().connect(huge.keyPair.publicKey))
    conns.push(conn)
    const reads = await Promise.allSettled(Array.from({ length: 100 }, async (_, i) => await conn.call(BlobMethods.read, { hash, start: i * 600_000, len: 1 })))
    const refused = reads.filter((r) => r.status === 'rejected')
    // 16 MiB per peer holds 64 of them at once.
    expect(refused.length).toBeGreaterThan(0)
    expect(refused.every((r) => (r.reason as { code?: string }).code === 'RATE_LIMITED')).toBe(true)
    expect(huge.relay.book.used(BlobLimitKinds.readBytes)).toBe(0)
  }, 60_000)
})

describe('many free keys from one address', () => {
  let net: BlobNet
  let relay: BlobRelay

  beforeAll(async () => {
    net = await BlobNet.create()
    relay = await net.add({}, { rates: { [BlobLimitKinds.pinBytes]: { perPeer: { perSecond: 1, burst: 1_000_000 }, perAddress: { perSecond: 1, burst: 1_500_000 } } } })
  }, 30_000)
  afterAll(async () => { await net?.close() }, 30_000)

  it('cannot fill the relay\'s pins at will: bytes stored are a rate per address, whatever the keys', async () => {
    // Each client is a fresh DHT node and key, all from 127.0.0.1.
    await net.client([relay]).put(testBytes(900_000, 1), { keyPair: generateKeyPair() })
    await expect(net.client([relay]).put(testBytes(900_000, 2), { keyPair: generateKeyPair() })).rejects.toMatchObject({ code: 'RATE_LIMITED' })
    const held = await net.client([relay]).put(testBytes(1000, 3), { keyPair: generateKeyPair() })
    // Pinning what is already here spends the same bytes.
    await expect(net.client([relay]).pin(held.hash, generateKeyPair())).resolves.toBeUndefined()
  })
})
