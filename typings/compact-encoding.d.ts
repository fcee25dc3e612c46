// Typed declarations for the parts of compact-encoding Lume uses (the package ships none).
declare module 'compact-encoding' {
  interface State { start: number, end: number, buffer: Uint8Array | null }
  interface Encoding<T> {
    preencode (state: State, value: T): void
    encode (state: State, value: T): void
    decode (state: State): T
  }
  const c: {
    state (start?: number, end?: number, buffer?: Uint8Array | null): State
    encode<T> (encoding: Encoding<T>, value: T): Uint8Array
    decode<T> (encoding: Encoding<T>, buffer: Uint8Array): T
    uint: Encoding<number>
    int: Encoding<number>
    uint8: Encoding<number>
    uint16: Encoding<number>
    uint32: Encoding<number>
    uint64: Encoding<number>
    bool: Encoding<boolean>
    string: Encoding<string>
    utf8: Encoding<string>
    buffer: Encoding<Uint8Array | null>
    uint8array: Encoding<Uint8Array>
    raw: Encoding<Uint8Array>
    fixed32: Encoding<Uint8Array>
    fixed64: Encoding<Uint8Array>
    none: Encoding<null>
    json: Encoding<unknown>
    any: Encoding<unknown>
    array<T> (encoding: Encoding<T>): Encoding<T[]>
    fixed (n: number): Encoding<Uint8Array>
  }
  export default c
}
