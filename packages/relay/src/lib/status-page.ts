/**
 * The live status page (self-contained: no external scripts, styles or fonts).
 * It polls `/status.json` every second; the chart's time axis is the wall
 * clock (an idle second is drawn as zero), successes and errors are separate
 * stacked series, and the page says "disconnected" as soon as the relay stops
 * answering. Peer-supplied text is only ever set as textContent.
 */
export const STATUS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Lume relay status</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem 2rem; color: #1d2330; background: #fff; }
  h1 { font-size: 1.25rem; margin: 0 0 .2rem; display: flex; gap: .8rem; align-items: center; }
  h2 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
  .mono { font-family: ui-monospace, monospace; color: #555; word-break: break-all; }
  #state { font-size: .85rem; padding: .1rem .6rem; border-radius: 1rem; background: #e6f4ea; color: #137333; }
  #state[data-state="disconnected"] { background: #b3261e; color: #fff; font-weight: 600; }
  body.stale .tiles, body.stale canvas, body.stale .cols { opacity: .45; }
  .tiles { display: grid; grid-template-columns: repeat(5, minmax(8rem, max-content)); gap: .5rem 2rem; margin: 1rem 0; }
  .tiles b { font-size: 1.25rem; display: block; }
  canvas { border: 1px solid #ddd; display: block; }
  .legend span { display: inline-block; margin-right: 1rem; }
  .sw { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; }
  .cols { display: grid; grid-template-columns: 1fr 1fr 1.4fr; gap: 2rem; }
  ul { padding-left: 1.1rem; margin: 0; }
  table { border-collapse: collapse; font-size: .85rem; }
  td, th { text-align: left; padding: .1rem .6rem .1rem 0; }
  .up { color: #137333; } .down { color: #b3261e; font-weight: 600; }
</style>
</head>
<body>
<h1>Lume relay <span id="state" data-state="connecting">connecting…</span></h1>
<div class="mono" id="key">…</div>
<div class="tiles">
  <div>connections<b id="connections">–</b></div>
  <div>WebSocket clients<b id="websocket">–</b></div>
  <div>neighbour relays<b id="neighbour-count">–</b></div>
  <div>DHT<b id="dht">–</b></div>
  <div>uptime<b id="uptime">–</b></div>
  <div>calls, last 2 min<b id="requests">–</b></div>
  <div>errors, last 2 min<b id="errors">–</b></div>
  <div>latency, last 2 min<b id="latency">–</b></div>
  <div>received<b id="bytes-in">–</b></div>
  <div>sent<b id="bytes-out">–</b></div>
</div>
<div class="legend"><span><i class="sw" style="background:#1a73e8"></i>answered</span><span><i class="sw" style="background:#d93025"></i>errors</span><span><i class="sw" style="background:#e8a33d"></i>mean latency (ms, right axis)</span></div>
<canvas id="chart" width="840" height="220" data-seconds="0"></canvas>
<div class="cols">
  <div><h2>Plugins</h2><ul id="plugins"></ul></div>
  <div><h2>Neighbour relays</h2><ul id="neighbours"></ul></div>
  <div><h2>Recent errors</h2><table><thead><tr><th>time</th><th>method</th><th>code</th></tr></thead><tbody id="recent-errors"></tbody></table></div>
</div>
<script>
'use strict'
const WINDOW = 120
const OK = '#1a73e8'; const ERR = '#d93025'; const LAT = '#e8a33d'
let lastGood = 0
const $ = (id) => document.getElementById(id)
const text = (id, value) => { $(id).textContent = value }
const bytes = (n) => n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KiB' : (n / 1048576).toFixed(1) + ' MiB'
const clock = (ms) => new Date(ms).toLocaleTimeString('en-GB', { hour12: false })
const list = (id, items) => {
  const el = $(id); el.replaceChildren()
  for (const [label, cls] of items) { const li = document.createElement('li'); li.textContent = label; if (cls) li.className = cls; el.append(li) }
}

function draw (seconds, startedAt) {
  const c = $('chart'); const g = c.getContext('2d')
  const left = 40; const right = 48; const top = 12; const bottom = 24
  const w = (c.width - left - right) / WINDOW; const h = c.height - top - bottom
  g.clearRect(0, 0, c.width, c.height)
  const max = Math.max(1, ...seconds.map((s) => s.ok + s.errors))
  const means = seconds.map((s) => (s.ok + s.errors) > 0 ? s.totalMs / (s.ok + s.errors) : 0)
  const maxMs = Math.max(1, ...means)
  g.font = '11px system-ui'; g.fillStyle = '#555'; g.strokeStyle = '#ccc'
  g.beginPath(); g.moveTo(left, top + h + .5); g.lineTo(left + WINDOW * w, top + h + .5); g.stroke()
  g.fillText(String(max) + '/s', 2, top + 8); g.fillText('0', 2, top + h)
  g.fillText(maxMs.toFixed(1) + ' ms', left + WINDOW * w + 4, top + 8)
  // Wall-clock axis: one slot per second, the newest at the right edge.
  for (let ago = WINDOW; ago >= 0; ago -= 30) {
    const x = left + (WINDOW - ago) * w
    g.fillText(ago === 0 ? 'now' : '-' + ago + ' s', Math.min(x - 10, c.width - right), c.height - 6)
  }
  // Seconds before the relay started are not idle seconds: nothing ran. Shade them.
  const startT = Math.floor(startedAt / 1000)
  const before = seconds.filter((s) => s.t < startT).length
  if (before > 0) {
    g.fillStyle = '#f1f3f4'; g.fillRect(left, top, before * w, h)
    if (before * w > 70) { g.fillStyle = '#888'; g.fillText('relay not running', left + 6, top + h / 2) }
  }
  seconds.forEach((s, i) => {
    const x = left + i * w
    const okH = (s.ok / max) * h; const errH = (s.errors / max) * h
    g.fillStyle = OK; g.fillRect(x, top + h - okH, Math.max(1, w - 1), okH)
    g.fillStyle = ERR; g.fillRect(x, top + h - okH - errH, Math.max(1, w - 1), errH)
  })
  g.strokeStyle = LAT; g.lineWidth = 1.5; g.beginPath()
  means.forEach((m, i) => { const x = left + i * w + w / 2; const y = top + h - (m / maxMs) * h; if (i === 0) g.moveTo(x, y); else g.lineTo(x, y) })
  g.stroke(); g.lineWidth = 1
  c.dataset.seconds = String(seconds.length)
  c.dataset.idleSeconds = String(seconds.filter((s) => s.t >= startT && s.ok + s.errors === 0).length)
  c.dataset.beforeStart = String(before)
  c.dataset.errorSeconds = String(seconds.filter((s) => s.errors > 0).length)
  c.dataset.first = String(seconds[0] ? seconds[0].t : 0)
  window.lumeChart = { seconds, left, top, h, w, max }
}

function show (s) {
  const seconds = s.seconds.slice(-WINDOW)
  const calls = seconds.reduce((n, x) => n + x.ok + x.errors, 0)
  const errors = seconds.reduce((n, x) => n + x.errors, 0)
  const totalMs = seconds.reduce((n, x) => n + x.totalMs, 0)
  const maxMs = Math.max(0, ...seconds.map((x) => x.maxMs))
  text('key', s.publicKey + '  ·  v' + s.version + '  ·  server time ' + clock(s.now))
  text('connections', s.connections)
  text('websocket', s.websocketClients)
  text('neighbour-count', s.neighbours.length)
  text('dht', !s.dht.bootstrapped ? 'joining' : s.dht.reachable ? 'reachable' : 'firewalled')
  text('uptime', s.uptimeSeconds + ' s')
  text('requests', calls)
  text('errors', errors)
  text('latency', calls === 0 ? 'no calls' : 'mean ' + (totalMs / calls).toFixed(2) + ' ms · max ' + maxMs.toFixed(1) + ' ms')
  text('bytes-in', bytes(s.traffic.received))
  text('bytes-out', bytes(s.traffic.sent))
  list('plugins', s.plugins.length === 0 ? [['none configured']] : s.plugins.map((p) => [p.name + (p.up ? ' — running' : ' — DOWN'), p.up ? 'up' : 'down']))
  list('neighbours', s.neighbours.length === 0 ? [['none connected']] : s.neighbours.map((n) => [n.publicKey.slice(0, 16) + '… ' + (n.host || '') + (n.outbound ? ' (dialed)' : '')]))
  const body = $('recent-errors'); body.replaceChildren()
  for (const e of s.recentErrors.slice().reverse()) {
    const tr = document.createElement('tr')
    for (const v of [clock(e.at), e.method, e.code]) { const td = document.createElement('td'); td.textContent = v; tr.append(td) }
    body.append(tr)
  }
  draw(seconds, s.startedAt)
}

async function refresh () {
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), 2500)
  try {
    const res = await fetch('status.json', { cache: 'no-store', signal: abort.signal })
    if (!res.ok) throw new Error('HTTP ' + res.status)
    show(await res.json())
    lastGood = Date.now()
    $('state').dataset.state = 'live'; text('state', 'live'); document.body.classList.remove('stale')
  } catch {
    // The relay stopped answering: say so, and keep its last numbers marked as stale.
    $('state').dataset.state = 'disconnected'
    text('state', lastGood === 0 ? 'disconnected: no answer from the relay' : 'disconnected since ' + clock(lastGood) + ' (numbers below are from then)')
    document.body.classList.add('stale')
  } finally {
    clearTimeout(timer)
  }
}
refresh(); setInterval(refresh, 1000)
</script>
</body>
</html>
`
