import type HyperDHT from 'hyperdht'
import { registryKey } from '@lume/registry'
import { createTestnet, formatAddresses, type Testnet } from '@lume/testnet'
import { RpcConnection } from '@lume/rpc'
import { emptyCodec, jsonCodec } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { honestRoundTrip } from './honest-client.js'
import { RelayProcess, type RelayProcessInit } from './relay-process.js'

const MB = 1024 * 1024

/** What every attack must leave true, and the bounds it states. */
export interface Bounds {
  /** The relay's peak RSS may exceed its RSS at start by at most this many MB. */
  rssBudgetMb: number
  /** An honest client's fresh connect + write + read must finish within this. */
  honestMs: number
}

/** What an attack measured. */
export interface Verdict {
  alive: boolean
  honestMs: number
  startRssMb: number
  peakRssMb: number
}

/** The default bounds: generous for a 2-core machine shared with other work, far below what the unfixed relay reached. */
export const DEFAULT_BOUNDS: Bounds = { rssBudgetMb: 150, honestMs: 3_000 }

/**
 * A private testnet on loopback with one production relay process on it, a
 * DHT node for the attacker and one for the honest client.
 */
export class Arena {
  private constructor (
    readonly testnet: Testnet,
    readonly relay: RelayProcess,
    /** The attacker's DHT node. */
    readonly attacker: HyperDHT,
    /**
     * The honest client's DHT node. On a loopback testnet it shares the
     * attacker's address (127.0.0.1), so limits per address fall on it too.
     */
    readonly honest: HyperDHT,
    readonly startRss: number,
    /** A registry key the relay holds (written at start): what a flood neighbour's "want" finds. */
    readonly knownKey: Uint8Array
  ) {}

  /** Start a testnet and a relay on it (extra relay flags, if any; see {@link RelayProcessInit}). */
  static async open (options: Omit<RelayProcessInit, 'bootstrap'> = {}): Promise<Arena> {
    const testnet = await createTestnet()
    try {
      const relay = await RelayProcess.start({ ...options, bootstrap: formatAddresses(testnet.bootstrap) })
      const known = generateKeyPair()
      const arena = new Arena(testnet, relay, testnet.createNode(), testnet.createNode(), await relay.rss(), registryKey(known.publicKey))
      // The relay's first honest call warms its code paths: memory from here on is the attack's.
      await honestRoundTrip(arena.honest, relay.publicKey, 10_000, known)
      return arena
    } catch (err) {
      await testnet.close()
      throw err
    }
  }

  /** Flood packets the relay has delivered so far (its `flood.stats`, asked as any client may). */
  async floodDelivered (): Promise<number> {
    const conn = RpcConnection.open(this.honest.connect(this.relay.publicKey))
    try {
      const stats = await conn.call({ name: 'flood.stats', request: emptyCodec, response: jsonCodec }, null) as { delivered: number }
      return stats.delivered
    } finally {
      conn.destroy()
    }
  }

  /** The relay's key. */
  get relayKey (): Uint8Array {
    return this.relay.publicKey
  }

  /** Is the relay alive, how fast is an honest client served, how much memory did it take. */
  async verdict (attack: string, bounds: Bounds = DEFAULT_BOUNDS): Promise<Verdict> {
    const alive = this.relay.alive
    let honestMs = Number.POSITIVE_INFINITY
    if (alive) {
      try {
        honestMs = await honestRoundTrip(this.honest, this.relayKey, bounds.honestMs * 2)
      } catch {}
    }
    const peak = alive ? await this.relay.peakRss() : Number.POSITIVE_INFINITY
    const verdict = { alive, honestMs: Math.round(honestMs), startRssMb: Math.round(this.startRss / MB), peakRssMb: Math.round(peak / MB) }
    console.log(`[reliability] ${attack}: ${alive ? 'alive' : 'DEAD'}; honest call ${verdict.honestMs} ms (bound ${bounds.honestMs}); RSS start ${verdict.startRssMb} MB, peak ${verdict.peakRssMb} MB (budget +${bounds.rssBudgetMb} MB)`)
    if (!alive) console.log(this.relay.stderr)
    return verdict
  }

  /** Assertable form of {@link verdict}: the list of bounds broken (empty when all hold). */
  static broken (v: Verdict, bounds: Bounds = DEFAULT_BOUNDS): string[] {
    const out: string[] = []
    if (!v.alive) out.push('relay died')
    if (!(v.honestMs <= bounds.honestMs)) out.push(`honest call took ${v.honestMs} ms > ${bounds.honestMs} ms`)
    if (!(v.peakRssMb - v.startRssMb <= bounds.rssBudgetMb)) out.push(`RSS grew ${v.peakRssMb - v.startRssMb} MB > ${bounds.rssBudgetMb} MB`)
    return out
  }

  /** Stop the relay and the testnet. */
  async close (): Promise<void> {
    await this.relay.close()
    await this.testnet.close()
  }
}
