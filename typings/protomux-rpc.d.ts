// Typed declarations for the parts of protomux-rpc Lume uses (the package ships none).
declare module 'protomux-rpc' {
  import type { EventEmitter } from 'node:events'

  export interface RequestOptions {
    valueEncoding?: null
    requestEncoding?: null
    responseEncoding?: null
    timeout?: number
  }

  export default class ProtomuxRPC extends EventEmitter {
    constructor (stream: unknown, options?: { id?: Uint8Array, protocol?: string, valueEncoding?: null })
    readonly closed: boolean
    readonly mux: unknown
    respond (method: string, options: { valueEncoding?: null }, handler: (value: Uint8Array) => Promise<Uint8Array> | Uint8Array): this
    unrespond (method: string): this
    request (method: string, value: Uint8Array, options?: RequestOptions): Promise<Uint8Array>
    event (method: string, value: Uint8Array, options?: RequestOptions): void
    end (): Promise<void>
    destroy (err?: Error): void
    on (event: 'open' | 'close' | 'destroy', listener: () => void): this
  }
}
