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
