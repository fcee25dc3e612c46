// snippet: bao — content you can verify as it streams, with only its hash.
import { createDecoderStream, encode } from '@lume/bao-stream'

const content = new TextEncoder().encode('a file from an untrusted server'.repeat(1000))
const { hash, bytes } = encode(content, { k: 4 })

// Anything that yields the encoding (fetch, a relay stream) can be piped through the verifier.
const source = new ReadableStream<Uint8Array>({ start (c) { c.enqueue(bytes); c.close() } })
const reader = source.pipeThrough(createDecoderStream(hash, { k: 4 })).getReader()
let verified = 0
for (let r = await reader.read(); r.done !== true; r = await reader.read()) verified += r.value.byteLength
console.log(`${verified} bytes verified against ${Buffer.from(hash).toString('hex').slice(0, 12)}…`)
