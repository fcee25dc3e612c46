/** A satisfiable byte range of a resource: first and last byte, inclusive. */
export interface ByteRange {
  start: number
  end: number
}

/**
 * Parse a single-range `Range: bytes=…` header against a resource of `size`
 * bytes (RFC 9110 §14.1.2): `a-b`, `a-`, `-n`. Returns null for no header,
 * 'unsatisfiable' for a range outside the resource; several ranges are not
 * supported and are answered with the whole resource (allowed by the RFC).
 */
export function parseRange (header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  if (header === undefined) return null
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (match === null) return null
  const [, a = '', b = ''] = match
  if (a === '' && b === '') return null
  if (a === '') {
    const suffix = Number(b)
    if (suffix === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(a)
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1)
  if (start >= size || end < start) return 'unsatisfiable'
  return { start, end }
}
