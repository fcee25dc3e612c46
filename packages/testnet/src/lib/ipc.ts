import type { WireError } from '@lume/types'

/** Commands a peer process answers, with their arguments and results (keys and topics in hex). */
export interface PeerCommands {
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

/** Parent → child. `stop` has no answer: the child exits. */
export type ParentMessage =
  | { type: 'request', id: number, command: PeerCommand, args: unknown }
  | { type: 'stop' }

/** Child → parent. */
export type ChildMessage =
  | { type: 'ready', publicKey: string, pid: number }
  | { type: 'response', id: number, result: unknown }
  | { type: 'error', id: number, error: WireError }
