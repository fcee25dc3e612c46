import HyperDHT from 'hyperdht'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { createRelay, type Relay } from '@lume/relay'
import { Flood, floodPlugin } from '@lume/dht-flood'
import { MemoryStore, registryPlugin } from '@lume/registry'
import { generateKeyPair, keyPairFromMnemonic, generateMnemonic } from '@lume/crypto'
import { blobPlugin, Microblog } from '../src/index.js'

describe('microblog: 3 relays, 3 users', () => {
  let testnet: Testnet
  const relays: Relay[] = []
  const users: Microblog[] = []

  beforeAll(async () => {
    testnet = await createTestnet()
    for (let i = 0; i < 3; i++) {
      const keyPair = HyperDHT.keyPair()
      const flood = new Flood({ keyPair })
      relays.push(await createRelay({ keyPair, bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, plugins: [floodPlugin(flood), registryPlugin({ store: new MemoryStore(), flood }), blobPlugin({ maxBytesPerOwner: 64 * 1024 })] }))
    }
    await relays[0]!.connect(relays[1]!.publicKey)
    await relays[1]!.connect(relays[2]!.publicKey)
    await relays[2]!.connect(relays[0]!.publicKey)
    for (let i = 0; i < 3; i++) {
      // Each user's identity comes from a mnemonic, as a real user's would.
      users.push(new Microblog({ keyPair: keyPairFromMnemonic(generateMnemonic()), dialer: testnet.createNode(), relays: relays.map((r) => r.publicKey), timeoutMs: 3000 }))
    }
  }, 30_000)
  afterAll(async () => {
    for (const u of users) await u.close()
    await Promise.all(relays.map(async (r) => await r.close()))
    await testnet?.close()
  }, 30_000)

  it('follow, post, reply, like, timeline; one relay killed and the timeline is still complete', async () => {
    const [alice, bob, carol] = users as [Microblog, Microblog, Microblog]
    bob.follow(alice.id)
    carol.follow(alice.id)
    carol.follow(bob.id)

    const first = await alice.post('hello, decentralised world')
    expect(first.relays).toBe(3)
    const second = await alice.post('second post')
    expect(second.post.prev).toBe(first.post.hash)
    const reply = await bob.post('welcome, alice!', { replyTo: first.post.hash })
    await carol.post('', { likes: second.post.hash })

    const timeline = await carol.timeline()
    expect(timeline.map((p) => p.text)).toEqual(['', 'welcome, alice!', 'second post', 'hello, decentralised world'])
    expect(timeline.find((p) => p.text === 'welcome, alice!')?.replyTo).toBe(first.post.hash)
    expect(timeline[0]?.likes).toBe(second.post.hash)
    expect(reply.post.author).toBe(bob.id)

    // The relay everyone wrote to first goes down: every post is on the other two.
    await relays[0]!.close()
    const after = await carol.timeline()
    expect(after.map((p) => p.hash)).toEqual(timeline.map((p) => p.hash))
    // And writing still works.
    await alice.post('still here')
    expect((await bob.feed(alice.id)).map((p) => p.text)).toEqual(['still here', 'second post', 'hello, decentralised world'])
  }, 60_000)

  it('watch: a follower sees a new post as it is published', async () => {
    const [alice, bob] = users as [Microblog, Microblog, Microblog]
    const stream = bob.watch()
    const next = stream.next()
    await new Promise((resolve) => setTimeout(resolve, 300))
    await alice.post('live!')
    expect((await next).value?.text).toBe('live!')
    await stream.return(undefined)
  }, 30_000)

  it('watch: says so, naming the author, when every relay it could follow on is gone', async () => {
    const keyPair = HyperDHT.keyPair()
    const flood = new Flood({ keyPair })
    const lone = await createRelay({ keyPair, bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, plugins: [floodPlugin(flood), registryPlugin({ flood }), blobPlugin({ maxBytesPerOwner: 64 * 1024 })] })
    const author = new Microblog({ keyPair: generateKeyPair(), dialer: testnet.createNode(), relays: [lone.publicKey], timeoutMs: 3000 })
    const reader = new Microblog({ keyPair: generateKeyPair(), dialer: testnet.createNode(), relays: [lone.publicKey], timeoutMs: 3000 })
    try {
      await author.post('before the relay goes')
      reader.follow(author.id)
      const stream = reader.watch()
      // Post until the watch delivers one: then its subscription is surely open.
      const first = stream.next()
      let delivered = false
      void first.then(() => { delivered = true }, () => {})
      // eslint-disable-next-line no-unmodified-loop-condition -- set by the stream while this awaits
      for (let i = 0; !delivered; i++) {
        await author.post(`live ${i}`)
        await Promise.race([first, new Promise((resolve) => setTimeout(resolve, 200))])
      }
      const lost = stream.next()
      lost.catch(() => {})
      await lone.close()
      await expect(lost).rejects.toThrow(new RegExp(`watching ${author.id.slice(0, 12)}`))
    } finally {
      await author.close()
      await reader.close()
      await lone.close()
    }
  }, 30_000)

  it('speed bumps: a key cannot push more than its quota at a relay', async () => {
    const mallory = new Microblog({ keyPair: generateKeyPair(), dialer: testnet.createNode(), relays: [relays[1]!.publicKey], timeoutMs: 3000 })
    try {
      const big = 'x'.repeat(40_000)
      await mallory.post(big)
      await expect(mallory.post(`${big}!`)).rejects.toMatchObject({ code: 'RATE_LIMITED' }) // over this key's quota on the relay
    } finally {
      await mallory.close()
    }
  }, 30_000)
})
