/** What the test's relay processes do in the test: lie, serve corrupt data, or neither. */
export type Role = 'honest' | 'liar' | 'corrupt'

/** What the test's relay processes answer (see relay-peer.ts). */
export type RelayCommands = {
  info: { args: Record<string, never>, result: { publicKey: string, websocketUrl: string } }
  role: { args: { role: Role }, result: Record<string, never> }
  connect: { args: { publicKey: string }, result: Record<string, never> }
  neighbours: { args: { count: number }, result: Record<string, never> }
}

/** The blob every relay serves: 600 kB of a fixed pattern. */
export function blobContent (): Uint8Array {
  return new Uint8Array(600_000).map((_, i) => (i * 31) & 0xff)
}
