/** The live status page: numbers and a chart of requests per second, refreshed every second from /status.json. */
export const STATUS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Lume relay status</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem; color: #1d2330; }
  h1 { font-size: 1.3rem; margin-bottom: .2rem; }
  .key { font-family: ui-monospace, monospace; color: #555; }
  .grid { display: grid; grid-template-columns: repeat(4, max-content); gap: .4rem 2rem; margin: 1rem 0; }
  .grid b { font-size: 1.3rem; display: block; }
  canvas { border: 1px solid #ddd; }
</style>
</head>
<body>
<h1>Lume relay</h1>
<div class="key" id="key">…</div>
<div class="grid">
  <div>connections<b id="connections">–</b></div>
  <div>requests (5 min)<b id="requests">–</b></div>
  <div>registry keys<b id="registry">–</b></div>
  <div>cache hits<b id="hits">–</b></div>
</div>
<canvas id="chart" width="720" height="180" data-points="0"></canvas>
<script>
async function refresh () {
  const s = await (await fetch('status.json')).json()
  document.getElementById('key').textContent = s.publicKey + '  ·  up ' + Math.round(s.uptimeSeconds) + ' s  ·  plugins: ' + s.plugins.join(', ')
  document.getElementById('connections').textContent = s.connections
  document.getElementById('requests').textContent = s.samples.reduce((n, x) => n + x.requests, 0)
  document.getElementById('registry').textContent = s.registryKeys
  document.getElementById('hits').textContent = s.cacheHits
  const c = document.getElementById('chart'); const g = c.getContext('2d')
  g.clearRect(0, 0, c.width, c.height)
  const pts = s.samples.slice(-120); const max = Math.max(1, ...pts.map((p) => p.requests))
  g.strokeStyle = '#888'; g.beginPath(); g.moveTo(0, c.height - 1); g.lineTo(c.width, c.height - 1); g.stroke()
  const w = c.width / 120
  pts.forEach((p, i) => {
    const h = (p.requests / max) * (c.height - 20)
    g.fillStyle = p.errors > 0 ? '#b3261e' : '#1a73e8'
    g.fillRect(i * w, c.height - h, Math.max(1, w - 1), h)
  })
  g.fillStyle = '#333'; g.fillText('requests/s, last 2 min (max ' + max + ')', 6, 12)
  c.dataset.points = String(pts.length)
}
refresh(); setInterval(refresh, 1000)
</script>
</body>
</html>
`
