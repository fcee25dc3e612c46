/**
 * Where each encoded byte belongs, worked out here independently of the
 * package's traversal: the content offset of the node (parent or leaf) that holds it.
 */
export function nodeStartOf (contentLen: number, group: number): Int32Array {
  const map = new Int32Array(8 + contentLen + 64 * (Math.max(1, Math.ceil(contentLen / group)) - 1)).fill(-1)
  let pos = 8
  const walk = (start: number, len: number): void => {
    if (len <= group) { map.fill(start, pos, pos + len); pos += len; return }
    map.fill(start, pos, pos + 64)
    pos += 64
    let left = 1024
    while (left * 2 < len) left *= 2
    walk(start, left)
    walk(start + left, len - left)
  }
  walk(0, contentLen)
  return map
}

/** Encoded byte offsets of every parent node (where `nodeStartOf` changes on a 64-byte parent). */
export function parentOffsets (contentLen: number, group: number): number[] {
  const out: number[] = []
  let pos = 8
  const walk = (len: number): void => {
    if (len <= group) { pos += len; return }
    out.push(pos)
    pos += 64
    let left = 1024
    while (left * 2 < len) left *= 2
    walk(left)
    walk(len - left)
  }
  walk(contentLen)
  return out
}
