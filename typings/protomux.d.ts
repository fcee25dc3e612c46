// Typed declarations for the parts of protomux Lume uses (the package ships none).
declare module 'protomux' {
  export default class Protomux {
    static from (stream: unknown, options?: object): Protomux
    static isProtomux (value: unknown): value is Protomux
    readonly stream: unknown
    createChannel (options: object): unknown
    destroy (err?: Error): void
  }
}
