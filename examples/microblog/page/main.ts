// The microblog in a page: your key stays in this browser (localStorage);
// relays are reached through one relay's WebSocket endpoint; every post and
// feed head shown was verified here.
import RelayedDHT from '@hyperswarm/dht-relay'
import Stream from '@hyperswarm/dht-relay/ws'
import { fromHex, generateKeyPair, generateMnemonic, keyPairFromMnemonic, toHex } from '@lume/types'
import { Microblog, type Dialer } from '../src/index.js'

const params = new URLSearchParams(location.search)
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T
const status = (text: string): void => { $('status').textContent = text }

const mnemonic = localStorage.getItem('lume-microblog-mnemonic') ?? generateMnemonic()
localStorage.setItem('lume-microblog-mnemonic', mnemonic)
const me = keyPairFromMnemonic(mnemonic)
$('me').textContent = toHex(me.publicKey)

const dht = new RelayedDHT(new Stream(true, new WebSocket(params.get('ws') as string)), { keyPair: generateKeyPair() as never })
const relays = (params.get('relays') ?? '').split(',').filter(Boolean).map((k) => fromHex(k, 32))
const blog = new Microblog({ keyPair: me, dialer: dht as unknown as Dialer, relays })
for (const key of (params.get('follow') ?? '').split(',').filter(Boolean)) blog.follow(key)

async function refresh (): Promise<void> {
  const posts = await blog.timeline(30)
  $('timeline').replaceChildren(...posts.map((post) => {
    const li = document.createElement('li')
    li.dataset.hash = post.hash
    const ref = post.replyTo !== undefined ? ` ↩ ${post.replyTo.slice(0, 8)}` : post.likes !== undefined ? ` ♥ ${post.likes.slice(0, 8)}` : ''
    li.innerHTML = `<span class="author"></span> <span class="when"></span><div class="text"></div>`
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

dht.ready().then(async () => {
  await refresh()
  setInterval(() => { void refresh().catch(() => {}) }, 3000)
}, (err: Error) => status(`cannot reach the relay: ${err.message}`))
