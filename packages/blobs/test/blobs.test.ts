import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { equalBytes } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { hash as blake3 } from '@lume/bao-stream'
import { blobReadable } from '../src/node/index.js'
import { BlobNet, testBytes, type BlobRelay } from './helpers/relays.js'

describe('blobs on one relay: put, get, ranges, resume', () => {
  let net: BlobNet
  let relay: BlobRelay

  beforeAll(async () => {
    net = await BlobNet.create()
    relay = await net.add()
  }, 30_000)
  afterAll(async () => { await net?.close() }, 30_000)

  it('stores a blob under its BLAKE3 hash and reads it back verified, whole and in ranges', async () => {
    const client = net.client([relay], { rangeBytes: 64 * 1024 })
    const content = testBytes(300_000)
    const owner = generateKeyPair()
    const put = await client.put(content, { keyPair: owner })
    expect(equalBytes(put.hash, blake3(content))).toBe(true)
    expect(put.link).toMatch(/^lume:\/\/blob\/[0-9a-f]{64}$/)
    expect(equalBytes(await client.bytes(put.hash), content)).toBe(true)
    expect(equalBytes(await client.bytes(put.link, { start: 70_001, end: 200_003 }), content.subarray(70_001, 200_003))).toBe(true)
    // Resume: the rest from an offset, with progress up to the total.
    const progress: number[] = []
    const rest = await client.bytes(put.hash, { start: 123_456, onProgress: (n, total) => { progress.push(n); expect(total).toBe(300_000 - 123_456) } })
    expect(equalBytes(rest, content.subarray(123_456))).toBe(true)
    expect(progress.at(-1)).toBe(300_000 - 123_456)
  })

  it('streams an upload from a ReadableStream and serves the empty blob', async () => {
    const client = net.client([relay])
    const content = testBytes(1_500_000, 7)
    const stream = new ReadableStream<Uint8Array>({
      start (controller) {
        for (let at = 0; at < content.length; at += 100_000) controller.enqueue(content.slice(at, at + 100_000))
        controller.close()
      }
    })
    const put = await client.put(stream, { keyPair: generateKeyPair(), size: content.length })
    const reader = client.get(put.hash).getReader()
    const parts: Uint8Array[] = []
    while (true) {
      const { value, done } = await reader.read()
      if (done) break
      parts.push(value)
    }
    expect(equalBytes(Buffer.concat(parts), content)).toBe(true)
    const empty = await client.put(new Uint8Array(0), { keyPair: generateKeyPair() })
    expect((await client.bytes(empty.hash)).byteLength).toBe(0)
  })

  it('reads as a Node Readable with backpressure (blobReadable)', async () => {
    const client = net.client([relay], { rangeBytes: 16 * 1024 })
    const content = testBytes(200_000, 8)
    const { link } = await client.put(content, { keyPair: generateKeyPair(), encrypt: true })
    const parts: Buffer[] = []
    await pipeline(blobReadable(client, link, { start: 5 }), new Writable({
      highWaterMark: 1,
      write (chunk: Buffer, _encoding, done) { parts.push(chunk); setImmediate(done) }
    }))
    expect(equalBytes(Buffer.concat(parts), content.subarray(5))).toBe(true)
  })

  it('answers NOT_FOUND for a blob nobody holds', async () => {
    const client = net.client([relay])
    await expect(client.bytes(blake3(new Uint8Array([1, 2, 3])))).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
