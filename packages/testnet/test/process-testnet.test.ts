import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorCode, LUME_TOPIC } from '@lume/types'
import { createProcessTestnet, type ProcessTestnet } from '../src/index.js'

describe('process testnet', () => {
  let net: ProcessTestnet
  let dir: string
  const logs: string[] = []
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lume-proc-test-'))
    net = await createProcessTestnet({ peers: 3, dir, onLog: (i, line) => logs.push(`${i}: ${line}`) })
  })
  afterAll(async () => {
    await net?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('runs each peer in its own process and directory, key saved 0600', async () => {
    const pids = new Set(net.peers.map((p) => p.pid))
    expect(pids.size).toBe(3)
    expect(pids.has(process.pid)).toBe(false)
    for (const peer of net.peers) {
      const info = await peer.request('info', {})
      expect(info.publicKey).toBe(peer.publicKey)
      expect(info.pid).toBe(peer.pid)
      expect((await stat(join(peer.dir, 'seed'))).mode & 0o777).toBe(0o600)
    }
  })

  it('connects across processes, every pair both ways', async () => {
    for (const a of net.peers) {
      for (const b of net.peers) {
        if (a === b) continue
        const { ms } = await a.request('ping', { publicKey: b.publicKey })
        expect(ms).toBeGreaterThan(0)
      }
    }
  })

  it('announces on and looks up the Lume topic', async () => {
    const topic = Buffer.from(LUME_TOPIC).toString('hex')
    await Promise.all(net.peers.map(async (p) => await p.request('announce', { topic })))
    const { peers } = await net.peers[0]!.request('lookup', { topic })
    expect(new Set(peers)).toEqual(new Set(net.peers.map((p) => p.publicKey)))
  })

  it('answers an unknown command with a typed error and keeps serving', async () => {
    await expect(net.peers[0]!.request('nope' as 'info', {})).rejects.toMatchObject({ code: ErrorCode.UNKNOWN_METHOD })
    await expect(net.peers[0]!.request('info', {})).resolves.toBeTruthy()
  })

  it('stops a peer cleanly (exit code 0) and restarts it with the same key', async () => {
    const first = net.peers[2]!
    const seed = await readFile(join(first.dir, 'seed'), 'utf8')
    expect(await first.stop()).toBe(0)
    await expect(first.request('info', {})).rejects.toMatchObject({ code: ErrorCode.CLOSED })
    const again = await net.startPeer(2, { peers: 0 })
    expect(again.publicKey).toBe(first.publicKey)
    expect(await readFile(join(again.dir, 'seed'), 'utf8')).toBe(seed)
    await expect(net.peers[0]!.request('ping', { publicKey: again.publicKey })).resolves.toMatchObject({ ms: expect.any(Number) })
  })
})
