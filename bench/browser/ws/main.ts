// Bench page: connect to a relay over WebSocket + Noise, first verified answer, then calls per second.
import { connectWebSocket } from '@lume/rpc'
import { fromHex } from '@lume/types'
import { callsPerSecond, firstVerifiedAnswer } from '../client.js'

const params = new URLSearchParams(location.search)
const started = performance.now()
const { ms, conn } = await firstVerifiedAnswer(connectWebSocket(new WebSocket(params.get('url') ?? ''), fromHex(params.get('key') ?? '', 32)), started)
const result: Record<string, number> = { connectToAnswerMs: ms, navigationToAnswerMs: performance.now() }
if (params.get('calls') !== null) {
  const total = Number(params.get('calls'))
  result.unsignedPerSec = await callsPerSecond(conn, false, total, 64)
  result.signedPerSec = await callsPerSecond(conn, true, total, 64)
}
conn.destroy()
;(globalThis as { benchResult?: unknown }).benchResult = result
;(document.getElementById('out') as HTMLElement).textContent = JSON.stringify(result)
