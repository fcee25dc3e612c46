import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Address } from '@lume/dht'
import { ErrorCode, LumeError } from '@lume/types'
import { parseAddresses } from '@lume/dht'
import type { ChildMessage, ParentMessage } from './ipc.js'

/** What a peer program is started with. */
export interface PeerProgramContext {
  /** Its own directory (state that survives restarts). */
  dir: string
  /** The testnet's bootstrap nodes. */
  bootstrap: Address[]
  /** Its 32-byte key seed, kept in `dir/seed`. */
  seed: Uint8Array
}

/** A started peer program: its key, the commands it answers, and how it stops. */
export interface PeerProgram {
  publicKey: string
  handlers: Record<string, (args: never) => Promise<unknown>>
  close: () => Promise<void>
}

/**
 * The body of a process-testnet peer: parses the command line the harness
 * gives (`--dir`, `--bootstrap`), calls `start`, reports ready, answers the
 * parent's commands with `handlers` (errors go back as typed errors), and
 * closes on `stop`, on SIGTERM/SIGINT, or when the parent goes away. Nothing
 * is left open afterwards, so the process exits by itself.
 */
export async function runPeerProgram (start: (ctx: PeerProgramContext) => Promise<PeerProgram>): Promise<void> {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, bootstrap: { type: 'string' } } })
  if (values.dir === undefined || values.bootstrap === undefined || process.send === undefined) {
    console.error('usage: <peer program> --dir DIR --bootstrap host:port[,…] (spawned by a process testnet, with an IPC channel)')
    process.exit(2)
  }
  const send = (message: ChildMessage): void => { process.send?.(message) }
  const seed = new Uint8Array(Buffer.from((await readFile(join(values.dir, 'seed'), 'utf8')).trim(), 'hex'))
  const program = await start({ dir: values.dir, bootstrap: parseAddresses(values.bootstrap.split(',')), seed })

  let stopping = false
  const stop = async (): Promise<void> => {
    if (stopping) return
    stopping = true
    await program.close()
    process.disconnect?.()
  }
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stop') { void stop(); return }
    const handler = program.handlers[message.command] as ((args: unknown) => Promise<unknown>) | undefined
    if (handler === undefined) {
      send({ type: 'error', id: message.id, error: { code: ErrorCode.UNKNOWN_METHOD, message: `unknown command ${String(message.command)}` } })
      return
    }
    handler(message.args).then(
      (result) => send({ type: 'response', id: message.id, result }),
      (err: unknown) => send({
        type: 'error',
        id: message.id,
        error: LumeError.isInstance(err) ? { code: err.code, message: err.message } : { code: ErrorCode.REMOTE_ERROR, message: String((err as Error)?.message ?? err) }
      })
    )
  })
  process.on('disconnect', () => { void stop() })
  process.on('SIGTERM', () => { void stop() })
  process.on('SIGINT', () => { void stop() })
  send({ type: 'ready', publicKey: program.publicKey, pid: process.pid })
}
