import type { HyperDHT } from '@lume/dht'
import type { Logger } from '@lume/types'

/** Default UDP buffer size for relays: 208 KiB buffers made bulk transfers collapse to 5–14 MiB/s here; 4 MiB fixed it. */
export const DEFAULT_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024

/**
 * Enlarge the DHT node's UDP receive and send buffers. The kernel caps them
 * at net.core.rmem_max / wmem_max; what it granted is logged (Linux reports
 * double the usable size).
 */
export function setSocketBuffers (dht: HyperDHT, bytes: number, logger: Logger): void {
  for (const socket of [dht.io.serverSocket, dht.io.clientSocket]) {
    if (socket === null) continue
    try {
      socket.setRecvBufferSize(bytes)
      socket.setSendBufferSize(bytes)
    } catch (err) {
      logger.warn({ err, bytes }, 'could not set UDP buffer sizes')
    }
  }
  const granted = dht.io.serverSocket?.getRecvBufferSize()
  if (granted !== undefined && granted < bytes) {
    logger.warn({ wanted: bytes, granted }, 'the kernel granted a smaller UDP receive buffer (raise net.core.rmem_max)')
  }
}
