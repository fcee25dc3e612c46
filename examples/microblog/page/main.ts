// The microblog in a page: your key stays in this browser (localStorage);
// relays are reached straight over WebSocket, each proving its key in a Noise
// handshake; every post and feed head shown was verified here.
// URL parameters: relays=<relay key hex>@<ws URL>,…  follow=<user key hex>,…
import { webSocketDialer } from '@lume/rpc-client'
import { fromHex, toHex } from '@lume/types'
import { generateMnemonic, keyPairFromMnemonic } from '@lume/crypto'
import { Microblog } from '../src/index.js'

const params = new URLSearchParams(location.search)
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T
const status = (text: string): void => { $('status').textContent = text }

const mnemonic = localStorage.getItem('lume-microblog-mnemonic') ?? generateMnemonic()
localStorage.setItem('lume-microblog-mnemonic', mnemonic)
const me = keyPairFromMnemonic(mnemonic)
$('me').textContent = toHex(me.publicKey)

const relayList = (params.get('relays') ?? '').split(',').filter(Boolean).map((item) => {
  const at = item.indexOf('@')
  return { key: item.slice(0, at), url: item.slice(at + 1) }
})
// The page's identity is also its key on the wire: the Noise handshake proves it to relays, and never sends it.
const dialer = webSocketDialer({ endpoints: Object.fromEntries(relayList.map((r) => [r.key, r.url])), keyPair: me })
const blog = new Microblog({ keyPair: me, dialer, relays: relayList.map((r) => fromHex(r.key, 32)) })
for (const key of (params.get('follow') ?? '').split(',').filter(Boolean)) blog.follow(key)

async function refresh (): Promise<void> {
  const posts = await blog.timeline(30)
  $('timeline').replaceChildren(...posts.map((post) => {
    const li = document.createElement('li')
    li.dataset.hash = post.hash
    const ref = post.replyTo !== undefined ? ` ↩ ${post.replyTo.slice(0, 8)}` : post.likes !== undefined ? ` ♥ ${post.likes.slice(0, 8)}` : ''
    li.innerHTML = '<span class="author"></span> <span class="when"></span><div class="text"></div>'
    ;(li.querySelector('.author') as HTMLElement).textContent = post.author === toHex(me.publicKey) ? 'you' : post.author.slice(0, 12)
    ;(li.querySelector('.when') as HTMLElement).textContent = new Date(post.ts).toLocaleTimeString() + ref
    ;(li.querySelector('.text') as HTMLElement).textContent = post.text
    return li
  }))
  status(`${posts.length} posts from ${blog.following.size + 1} feeds, verified · ${new Date().toLocaleTimeString()}`)
}

$('compose').addEventListener('submit', (event) => {
  event.preventDefault()
  const text = $<HTMLInputElement>('text').value.trim()
  if (text === '') return
  status('posting…')
  blog.post(text).then(async ({ relays: n }) => { $<HTMLInputElement>('text').value = ''; status(`posted to ${n} relays`); await refresh() }, (err: Error) => status(`post failed: ${err.message}`))
})
$('follow-form').addEventListener('submit', (event) => {
  event.preventDefault()
  try {
    blog.follow($<HTMLInputElement>('follow').value.trim())
    void refresh()
  } catch (err) {
    status(`cannot follow: ${(err as Error).message}`)
  }
})

if (relayList.length === 0 || relayList.some((r) => r.url === '' || !/^[0-9a-f]{64}$/i.test(r.key))) {
  status('no relays: open this page with ?relays=<relay key hex>@ws://host:port,… (see README.md)')
} else {
  refresh().then(() => {
    setInterval(() => { void refresh().catch((err: Error) => status(`refresh failed: ${err.message}`)) }, 3000)
  }, (err: Error & { code?: string }) => status(`cannot reach the relays: ${err.code ?? ''} ${err.message}`))
}
