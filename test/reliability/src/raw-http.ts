import { connect, type Socket } from 'node:net'

/** An open TCP connection to an HTTP listener, and what it received until it closed. */
export interface RawHttp {
  socket: Socket
  /** Resolves with everything received when the listener closes the connection. */
  closed: Promise<string>
}

/**
 * Open a TCP connection to `url`'s host and port and write `head` (anything:
 * half a request, a malformed one): what a hostile local web client sends.
 */
export async function rawHttp (url: string, head: string): Promise<RawHttp> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  let received = ''
  socket.setEncoding('utf8').on('data', (text: string) => { received += text })
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)))
  socket.on('error', () => {})
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
  if (head !== '') socket.write(head)
  return { socket, closed }
}
