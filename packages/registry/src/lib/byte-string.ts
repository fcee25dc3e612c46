/**
 * Bytes as a one-byte-per-char string and back. V8 keeps such strings
 * compactly (about 16 bytes of header), where every Uint8Array costs a
 * couple of hundred bytes of objects besides its data: the memory store keeps
 * its keys and entries this way.
 */
export function bytesToString (bytes: Uint8Array): string {
  return String.fromCharCode(...bytes)
}

/** The bytes of a string made by {@link bytesToString}. */
export function stringToBytes (text: string): Uint8Array {
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i)
  return out
}
