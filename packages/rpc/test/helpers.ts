import HyperDHT from 'hyperdht'
import { createTestnet, type Testnet } from '@lume/testnet'
import type { Logger } from '@lume/types'
import { MethodRegistry, RpcConnection, type RpcConnectionInit } from '../src/index.js'

/** A logger that remembers what it was told, to assert "logged once". */
export function recordingLogger (): Logger & { lines: Array<{ level: string, msg: string, fields: Record<string, unknown> }> } {
  const lines: Array<{ level: string, msg: string, fields: Record<string, unknown> }> = []
  const at = (level: string) => (a: unknown, b?: string): void => {
    if (typeof a === 'string') lines.push({ level, msg: a, fields: {} })
    else lines.push({ level, msg: b ?? '', fields: a as Record<string, unknown> })
  }
  const logger = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'), child: () => logger, lines }
  return logger
}

/** A testnet with one RPC server peer; `connect()` gives client connections to it. */
export interface RpcFixture {
  testnet: Testnet
  methods: MethodRegistry
  serverKey: Uint8Array
  serverConnections: RpcConnection[]
  logger: ReturnType<typeof recordingLogger>
  connect: (init?: RpcConnectionInit) => Promise<RpcConnection>
  /** A raw HyperDHT socket to the server, for sending hand-made bytes. */
  rawSocket: () => Promise<import('hyperdht').NoiseSecretStream>
  close: () => Promise<void>
}

export async function rpcFixture (serverInit: Omit<RpcConnectionInit, 'methods' | 'keyPair'> = {}): Promise<RpcFixture> {
  const testnet = await createTestnet()
  const methods = new MethodRegistry()
  const keyPair = HyperDHT.keyPair()
  const logger = recordingLogger()
  const serverConnections: RpcConnection[] = []
  await testnet.addPeer(keyPair, (socket) => {
    serverConnections.push(RpcConnection.open(socket, { ...serverInit, methods, keyPair, logger }))
  })
  const client = testnet.createNode()
  const clients: RpcConnection[] = []
  const rawSocket = async (): Promise<import('hyperdht').NoiseSecretStream> => {
    const socket = client.connect(keyPair.publicKey)
    socket.on('error', () => {})
    await new Promise((resolve) => socket.once('open', resolve))
    return socket
  }
  return {
    testnet,
    methods,
    serverKey: keyPair.publicKey,
    serverConnections,
    logger,
    rawSocket,
    connect: async (init = {}) => {
      const conn = RpcConnection.open(await rawSocket(), init)
      clients.push(conn)
      return conn
    },
    close: async () => {
      for (const c of clients) c.destroy()
      await testnet.close()
    }
  }
}
