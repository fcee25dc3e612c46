import type { WireError } from '@lume/types'

/** Commands a peer process answers, with their arguments and results (keys and topics in hex). */
// A type alias (not an interface) so it fits CommandMap's index signature.
export type PeerCommands = {
  /** Who and where the peer is. */
  info: { args: Record<string, never>, result: { publicKey: string, pid: number, port: number } }
  /** Connect to a peer by public key, exchange a message, report the round trip. */
  ping: { args: { publicKey: string }, result: { ms: number } }
  /** Announce this peer on a DHT topic. */
  announce: { args: { topic: string }, result: { ms: number } }
  /** Find the peers announced on a topic. */
  lookup: { args: { topic: string }, result: { peers: string[], ms: number } }
}

/** A command name. */
export type PeerCommand = keyof PeerCommands

/** Commands a peer program answers: name → arguments and result. */
export type CommandMap = Record<string, { args: unknown, result: unknown }>

/** Parent → child. `stop` has no answer: the child exits. */
export type ParentMessage =
  | { type: 'request', id: number, command: string, args: unknown }
  | { type: 'stop' }

/** Child → parent. */
export type ChildMessage =
  | { type: 'ready', publicKey: string, pid: number }
  | { type: 'response', id: number, result: unknown }
  | { type: 'error', id: number, error: WireError }
