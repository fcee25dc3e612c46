import { BaoDecoder, encode as baoEncode } from '@lume/bao-stream'
import { RegistryClient } from '@lume/registry'
import { RpcConnection } from '@lume/rpc'
import { requestHash } from '@lume/rpc/signed'
import { RelayPool } from '@lume/rpc-client'
import { DhtSource, PeerDiscovery } from '@lume/peer-discovery'
import { createDHTNode, formatAddresses, startBootstrapNodes } from '@lume/testnet'
import { encode, fromHex, jsonCodec, stringCodec, toHex, type JsonValue } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import type { DemoStats } from './relay-plugin.js'
import { startRelays, type RelayNetwork } from './relays.js'

/** Options for {@link runDemo}. */
export interface DemoOptions {
  /** Relay processes. @default 5 */
  relays?: number
  /** Where output goes. @default console.log */
  print?: (line: string) => void
}

const fortune = { name: 'demo.fortune', request: stringCodec, response: stringCodec }
/** The demo plugin's operator-only methods (src/relay-plugin.ts). */
const control = (name: string): { name: string, request: typeof jsonCodec, response: typeof jsonCodec } => ({ name: `demo.${name}`, request: jsonCodec, response: jsonCodec })
const short = (hex: string): string => `${hex.slice(0, 6)}…`
const ms = (n: number): string => `${n.toFixed(1)} ms`
const text = (s: string): Uint8Array => new TextEncoder().encode(s)

/**
 * The whole system on one machine: a private DHT, relay processes in a ring,
 * and an app that uses them — quorum queries, the registry with a live
 * subscription, cached answers served by a relay that did not compute them,
 * and Bao-verified content. Returns the number of failed checks.
 */
export async function runDemo (options: DemoOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line))
  const count = options.relays ?? 5
  let failures = 0
  const check = (ok: boolean, what: string): void => { if (!ok) { failures++; print(`  ✗ ${what}`) } }

  print('Lume demo: a private network of relays on this machine')
  const started = performance.now()
  const backbone = await startBootstrapNodes(2)
  // The app's DHT node; its key is the demo plugin's operator, so the app may drive the relays.
  const client = createDHTNode(backbone.bootstrap)
  let net: RelayNetwork | null = null
  let pool: RelayPool | null = null
  const connections: RpcConnection[] = []
  const keys: string[] = []
  const connectTo = (i: number): RpcConnection => {
    const conn = RpcConnection.open(client.connect(fromHex(keys[i]!, 32)))
    connections.push(conn)
    return conn
  }
  const controls = new Map<number, RpcConnection>()
  /** Call one of the demo plugin's operator-only methods on relay `i`. */
  const ask = async <T>(i: number, name: string, args: JsonValue): Promise<T> => {
    const conn = controls.get(i) ?? connectTo(i)
    controls.set(i, conn)
    return await conn.call(control(name), args) as unknown as T
  }
  const stats = async (i: number): Promise<DemoStats> => await ask<DemoStats>(i, 'stats', null)
  let t = performance.now()
  try {
    net = await startRelays({ count, bootstrap: backbone.bootstrap, operator: client.defaultKeyPair.publicKey, onLog: (i, line) => print(`  [relay ${i}] ${line}`) })
    const peers = net.relays
    for (const p of peers) keys.push(p.publicKey)
    pool = new RelayPool({ dialer: client, relays: keys.map((k) => fromHex(k, 32)) })
    print(`  DHT on loopback (bootstrap ${formatAddresses(backbone.bootstrap).join(', ')}); ${count} \`lume-relay start\` processes (examples/demo/relay.yaml) up in ${ms(performance.now() - started)}`)
    for (const p of peers) print(`    relay ${p.index}  pid ${p.pid}  key ${short(p.publicKey)}  dir ${p.dir}`)

    print('\n1. Relays connect in a ring (each to the next), so gossip must hop:')
    for (const p of peers) {
      const next = peers[(p.index + 1) % count]!
      const { ms: took } = await ask<{ ms: number }>(p.index, 'connect', { publicKey: next.publicKey })
      print(`    relay ${p.index} → relay ${next.index}  ${ms(took)}`)
    }

    print('\n2. An app finds each relay from its key alone (signed records on the DHT):')
    const discovery = new PeerDiscovery()
    discovery.register('dht', new DhtSource(client))
    for (const p of peers) {
      t = performance.now()
      const found = await discovery.discover(fromHex(p.publicKey, 32))
      print(`    ${short(p.publicKey)} → ${found.record.addresses.join(', ')} via ${found.source}, record signed ${ms(Date.now() - found.record.timestamp)} ago (${ms(performance.now() - t)})`)
    }

    print('\n3. The app connects and learns what each relay serves:')
    await pool.refresh()
    for (const r of pool.relays()) print(`    ${short(toHex(r.publicKey))}  ${r.methods?.size ?? 0} methods  rtt ${ms(r.latencyMs ?? 0)}`)
    check(pool.relays().every((r) => r.methods?.has('demo.fortune') === true), 'every relay serves demo.fortune')

    print(`\n4. A quorum query: 3 of ${count} relays must sign the same answer — and relay 1 lies:`)
    await ask(1, 'lie', { on: true })
    t = performance.now()
    const quorum = await pool.query(fortune, 'will it rain', { quorum: 3, of: count })
    print(`    ${quorum.value}`)
    print(`    agreed by ${quorum.agreeing.map((a) => short(toHex(a.relayPublicKey))).join(', ')} in ${ms(performance.now() - t)}, each answer signed over this request`)
    const alone = await connectTo(1).call(fortune, 'will it rain')
    print(`    asked alone, relay 1 says ${alone.split(': ')[1] ?? alone} — the quorum was not fooled`)
    check(!quorum.value.includes('666') && alone.includes('666'), 'the liar was outvoted')
    await ask(1, 'lie', { on: false })

    print('\n5. The registry: Alice writes her feed head through relay 0; a subscriber on relay 3 hears it:')
    const alice = generateKeyPair()
    const onRelay3 = new RegistryClient(connectTo(3))
    const updates = onRelay3.subscribe(alice.publicKey)
    const first = updates.next()
    const toRelay0 = connectTo(0)
    await toRelay0.ping() // connected before the clock starts: what is timed is the write and its trip
    await new Promise((resolve) => setTimeout(resolve, 100))
    t = performance.now()
    const written = await new RegistryClient(toRelay0).set(alice, text('feed head: post #1'))
    const acknowledged = performance.now() - t
    const heard = await first
    print(`    wrote revision ${written.revision} on relay 0 (acknowledged in ${ms(acknowledged)}); relay 3's subscriber got "${new TextDecoder().decode(heard.value?.data)}" ${ms(performance.now() - t)} after the write began (2 flood hops)`)
    check(heard.value?.revision === written.revision, 'the subscriber on relay 3 got the write')
    const read = await new RegistryClient(connectTo(2)).get(alice.publicKey)
    print(`    relay 2 has it too: revision ${read?.revision}, signature verified by the client`)
    check(read?.revision === written.revision, 'relay 2 has the entry')
    await updates.return(undefined)

    print('\n6. Cached answers: relay 0 computes, relay 2 serves it with relay 0\'s signature:')
    const asked = await connectTo(0).callSigned(fortune, 'is the cache warm')
    const hash = toHex(requestHash(fortune.name, encode(stringCodec, 'is the cache warm')))
    await new Promise((resolve) => setTimeout(resolve, 600)) // relay 0 announces what it holds every 200 ms
    const fetched = await ask<{ found: boolean, signer: string | null }>(2, 'fetchCached', { hash })
    const before = (await stats(2)).fortunesComputed
    const served = await connectTo(2).callSigned(fortune, 'is the cache warm')
    const computedByRelay2 = (await stats(2)).fortunesComputed - before
    print(`    relay 2 fetched the cached answer from ${fetched.signer === null ? 'nobody' : short(fetched.signer)} (announced over the flood) and served: ${served.value}`)
    print(`    signed by ${short(toHex(served.answer.relayPublicKey))} = relay 0 (${short(toHex(asked.answer.relayPublicKey))}); relay 2 computed it ${computedByRelay2} times`)
    check(toHex(served.answer.relayPublicKey) === toHex(asked.answer.relayPublicKey), 'relay 2 served relay 0\'s signed answer')
    check(computedByRelay2 === 0, 'relay 2 did not recompute the cached answer')

    print('\n7. Verified content: 1 MiB with BLAKE3/Bao, streamed in random pieces:')
    const content = new Uint8Array(1 << 20).map((_, i) => (i * 2654435761) >>> 24)
    const { hash: root, bytes } = baoEncode(content, { k: 4 })
    const good = streamVerify(root, bytes)
    print(`    root ${short(toHex(root))}: ${good.bytes} bytes verified, ok`)
    check(good.error === null && good.bytes === content.length, 'clean content verifies')
    const bad = Uint8Array.from(bytes)
    bad[700_000]! ^= 1
    const broken = streamVerify(root, bad)
    print(`    one flipped byte: stopped with ${broken.error ?? 'no error'} after ${broken.bytes} verified bytes — nothing unverified came out`)
    check(broken.error !== null, 'a flipped byte is caught')

    print('\n8. Gossip: relay 0 broadcasts; it travels the ring hop by hop:')
    const gossipBefore = await Promise.all(peers.map(async (p) => (await stats(p.index)).gossipHeard))
    await ask(0, 'gossip', { text: 'hello, every relay' })
    await new Promise((resolve) => setTimeout(resolve, 500))
    const gossipHeard = await Promise.all(peers.map(async (p, i) => (await stats(p.index)).gossipHeard - (gossipBefore[i] ?? 0)))
    print(`    heard it: ${gossipHeard.map((n, i) => `relay ${i} ${i === 0 ? '(sender)' : n === 1 ? 'once' : `${n} times`}`).join(', ')}`)
    check(gossipHeard.slice(1).every((n) => n === 1), 'every other relay heard the gossip exactly once')

    print('\n9. What the relays did:')
    for (const p of peers) {
      const s = await stats(p.index)
      print(`    relay ${p.index}: ${s.registryKeys} registry keys, ${s.cached} cached answers, ${s.fortunesComputed} fortunes computed, flood ${s.floodDelivered} delivered / ${s.floodSent} sent`)
    }
  } catch (err) {
    failures++
    print(`  ✗ ${(err as Error).message}`)
  } finally {
    print('\nStopping…')
    for (const c of connections) c.destroy()
    await pool?.close()
    await client.destroy()
    if (net !== null) {
      const codes = await net.close()
      print(`    ${codes.length} relays stopped on SIGTERM, exit codes ${codes.join(', ')}; their temporary directories removed`)
      check(codes.every((code) => code === 0), 'every relay exited cleanly (0)')
    }
    await Promise.all(backbone.nodes.map(async (n) => await n.destroy()))
    print(failures === 0 ? 'Done: every check passed.' : `Done: ${failures} check(s) failed.`)
  }
  return failures
}

function streamVerify (root: Uint8Array, bytes: Uint8Array): { bytes: number, error: string | null } {
  const decoder = new BaoDecoder(root, { k: 4 })
  let verified = 0
  let at = 0
  let seed = 7
  try {
    while (at < bytes.length) {
      seed = (seed * 1103515245 + 12345) >>> 0
      const n = 1 + (seed % 50_000)
      for (const part of decoder.push(bytes.subarray(at, at + n))) verified += part.byteLength
      at += n
      if (decoder.error !== null) throw decoder.error
    }
    decoder.finish()
    return { bytes: verified, error: null }
  } catch (err) {
    const e = err as { code?: string, details?: { offset?: number } }
    return { bytes: verified, error: `${e.code ?? 'ERROR'} at content offset ${e.details?.offset ?? '?'}` }
  }
}
