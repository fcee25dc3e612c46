// Typed declarations for the parts of irc-framework Lume uses (the package ships none).
declare module 'irc-framework' {
  class Client {
    constructor (options?: object)
    readonly user: { nick: string }
    connect (options: object): void
    join (channel: string): void
    say (target: string, message: string): void
    quit (message?: string): void
    on (event: string, listener: (...args: never[]) => void): this
  }
  const IRC: { Client: typeof Client, transports?: Record<string, unknown> }
  export default IRC
}

declare module 'irc-framework/src/transports/websocket.js' {
  /** irc-framework's WebSocket transport (an EventEmitter speaking IRC lines over a WebSocket). */
  export default class WebsocketTransport {
    constructor (options: object)
    options: { host: string, port?: number, path?: string, tls?: boolean, ssl?: boolean }
    protocol: string | undefined
    socket: unknown
    requested_disconnect: boolean
    last_socket_error: unknown
    debugOut (message: string): void
    disposeSocket (): void
    onSocketFullyConnected (): void
    onSocketClose (event: { code: number }): void
    onSocketMessage (data: unknown): void
    connect (): void
  }
}
