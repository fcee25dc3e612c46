import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { curl } from './curl.js'
import { hash } from '@lume/bao-stream'
import { toHex, type Logger } from '@lume/types'
import { createGateway, createOrigin, httpUpstream, prepareDirectory } from '../src/index.js'

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('verified gateway with real curl', () => {
  let dir: string
  let served: string
  let origin: Server
  let gateway: Server
  let gatewayUrl: string
  const files = new Map<string, { hash: string, bytes: Uint8Array }>()
  const logged: string[] = []
  const logger: Logger = {
    trace () {},
    debug () {},
    info () {},
    warn: (a: unknown, b?: string) => { logged.push(`warn ${b ?? String(a)} ${JSON.stringify(a)}`) },
    error: (a: unknown, b?: string) => { logged.push(`error ${b ?? String(a)} ${JSON.stringify(a)}`) },
    fatal () {},
    child: () => logger
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lume-gateway-'))
    const source = join(dir, 'source')
    served = join(dir, 'served')
    await mkdir(source)
    for (const [name, size] of [['small.bin', 1000], ['video.bin', 3 * 1024 * 1024 + 4321], ['empty.bin', 0], ['corrupt.bin', 500_000]] as const) {
      const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 31 + size) & 0xff)
      await writeFile(join(source, name), bytes)
      files.set(name, { hash: toHex(hash(bytes)), bytes })
    }
    const prepared = await prepareDirectory(source, served, 4)
    expect(prepared.map((p) => p.hash).sort()).toEqual([...files.values()].map((f) => f.hash).sort())
    // The origin turns bad: one byte of corrupt.bin flips on disk, after its outboard was made.
    const corrupt = files.get('corrupt.bin')!
    const onDisk = Uint8Array.from(corrupt.bytes)
    onDisk[300_000]! ^= 0xff
    await writeFile(join(served, corrupt.hash), onDisk)
    origin = createOrigin(served)
    const originUrl = await listen(origin)
    gateway = createGateway({ upstream: httpUpstream(originUrl), k: 4, logger })
    gatewayUrl = await listen(gateway)
  })
  afterAll(async () => {
    for (const server of [gateway, origin]) { server?.close(); server?.closeAllConnections() }
    await rm(dir, { recursive: true, force: true })
  })

  it('curl through the gateway gets exactly the file', async () => {
    for (const name of ['small.bin', 'video.bin', 'empty.bin']) {
      const { hash: h, bytes } = files.get(name)!
      const out = join(dir, `out-${name}`)
      const { code, stderr } = await curl(['-o', out, `${gatewayUrl}/blake3/${h}`])
      expect(code, `${name}: ${stderr}`).toBe(0)
      expect(Buffer.from(await readFile(out)).equals(Buffer.from(bytes)), name).toBe(true)
    }
  })

  it('a range request returns the right verified bytes', async () => {
    const { hash: h, bytes } = files.get('video.bin')!
    for (const [from, to] of [[0, 0], [100_000, 200_000], [16_383, 16_384], [bytes.length - 10, bytes.length - 1]] as const) {
      const out = join(dir, `range-${from}`)
      const { code, stderr } = await curl(['-r', `${from}-${to}`, '-o', out, `${gatewayUrl}/blake3/${h}`])
      expect(code, stderr).toBe(0)
      expect(Buffer.from(await readFile(out)).equals(Buffer.from(bytes.subarray(from, to + 1))), `${from}-${to}`).toBe(true)
    }
    const suffix = join(dir, 'suffix')
    expect((await curl(['-r', '-500', '-o', suffix, `${gatewayUrl}/blake3/${h}`])).code).toBe(0)
    expect(Buffer.from(await readFile(suffix)).equals(Buffer.from(bytes.subarray(bytes.length - 500)))).toBe(true)
  })

  it('a corrupted origin makes curl fail, with only verified bytes delivered, and the offset logged', async () => {
    const { hash: h, bytes } = files.get('corrupt.bin')!
    const out = join(dir, 'out-corrupt')
    const { code } = await curl(['-o', out, `${gatewayUrl}/blake3/${h}`])
    expect(code).not.toBe(0)
    const got = await readFile(out).catch(() => Buffer.alloc(0))
    // Exactly the verified prefix arrived: every byte before the bad 16 KiB group, none after.
    expect(got.length).toBe(294_912)
    expect(Buffer.from(got).equals(Buffer.from(bytes.subarray(0, got.length)))).toBe(true)
    expect(logged.some((l) => l.includes('corrupt content') && l.includes('"offset":294912'))).toBe(true)
    // A range that avoids the bad group still verifies.
    const early = join(dir, 'early')
    expect((await curl(['-r', '0-9999', '-o', early, `${gatewayUrl}/blake3/${h}`])).code).toBe(0)
  })

  it('answers unknown hashes with 404 and bad paths with 404', async () => {
    expect((await curl(['-o', '/dev/null', `${gatewayUrl}/blake3/${'00'.repeat(32)}`])).code).toBe(22)
    expect((await curl(['-o', '/dev/null', `${gatewayUrl}/nope`])).code).toBe(22)
  })
})
