/** What a blob relay process does with `blobs.read`: serve, flip one byte in the first range it serves, or never answer. */
export type ReadRole = 'honest' | 'liar' | 'staller'

/** The commands a blob relay process (relay-peer.ts) answers. */
export type BlobRelayCommands = {
  /** Start the relay with `plugin.blobs` set to `config`. */
  start: { args: { config: Record<string, unknown> }, result: Record<string, never> }
  role: { args: { role: ReadRole }, result: Record<string, never> }
  connect: { args: { publicKey: string }, result: Record<string, never> }
  /** Every file under the relay's directory, with its bytes in hex (for the plaintext scan). */
  files: { args: Record<string, never>, result: { paths: string[] } }
}
