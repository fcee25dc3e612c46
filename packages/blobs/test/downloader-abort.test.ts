import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { encode, slice } from '@lume/bao-stream'
import { BLOB_K, verifiedRanges, type RangeSource } from '../src/index.js'

describe('verifiedRanges when cancelled', () => {
  it('fails with ABORTED when cancelled while every source is mid-request, rather than waiting forever', async () => {
    const data = randomBytes(64 * 1024)
    const encoded = encode(data, { k: BLOB_K })
    let reading: () => void = () => {}
    const started = new Promise<void>((resolve) => { reading = resolve })
    // A holder that never answers a range (within the stall time, which is long here).
    const stalling: RangeSource = {
      id: 'stalling',
      info: async () => data.byteLength,
      read: async (start, len) => {
        if (len === 0) return slice(encoded.bytes, start, len, { k: BLOB_K })
        reading()
        return await new Promise<Uint8Array>(() => {})
      }
    }
    const controller = new AbortController()
    const download = (async () => {
      for await (const piece of verifiedRanges(encoded.hash, data.byteLength, [stalling], { stallMs: 600_000, signal: controller.signal })) void piece
    })()
    await started
    controller.abort()
    await expect(download).rejects.toMatchObject({ code: 'ABORTED' })
  })
})
