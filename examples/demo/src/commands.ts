/** What the demo's relay processes answer (see relay-peer.ts). */
export type RelayCommands = {
  info: { args: Record<string, never>, result: { publicKey: string, pid: number } }
  connect: { args: { publicKey: string }, result: { ms: number } }
  fetchCached: { args: { hash: string }, result: { found: boolean, signer: string | null } }
  stats: { args: Record<string, never>, result: { registryKeys: number, cached: number, fortunesComputed: number, floodDelivered: number, floodSent: number, gossipHeard: number } }
  lie: { args: { on: boolean }, result: Record<string, never> }
  gossip: { args: { text: string }, result: { seq: number } }
}
