// Bench page, the older path: reach the relay through a dht-relay gateway (custodial).
import RelayedDHT from '@hyperswarm/dht-relay'
import Stream from '@hyperswarm/dht-relay/ws'
import { fromHex } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { firstVerifiedAnswer } from '../client.js'

const params = new URLSearchParams(location.search)
const started = performance.now()
const dht = new RelayedDHT(new Stream(true, new WebSocket(params.get('url') ?? '')), { keyPair: generateKeyPair() as never })
await dht.ready()
const { ms, conn } = await firstVerifiedAnswer(dht.connect(fromHex(params.get('key') ?? '', 32)), started)
const result = { connectToAnswerMs: ms, navigationToAnswerMs: performance.now() }
conn.destroy()
;(globalThis as { benchResult?: unknown }).benchResult = result
;(document.getElementById('out') as HTMLElement).textContent = JSON.stringify(result)
