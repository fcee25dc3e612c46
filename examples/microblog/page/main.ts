// The microblog in a page: your key stays in this browser (localStorage);
// relays are reached straight over WebSocket, each proving its key in a Noise
// handshake; every post, profile and feed head shown was verified here.
// URL parameters: relays=<relay key hex>@<ws URL>,…  follow=<user key hex>,…
import { webSocketDialer } from '@lume/rpc-client'
import { fromHex, toHex } from '@lume/types'
import { keyPairFromMnemonic } from '@lume/crypto'
import { explain, Microblog, type Profile, type StoredPost } from '../src/index.js'
import { el } from './dom.js'
import { displayName, referencedOutside, renderTimeline } from './render.js'
import { importMnemonic, savedFollowing, savedMnemonic, saveFollowing } from './saved.js'

const REFRESH_MS = 3000
/** Quoted posts fetched per refresh, and how soon one that could not be fetched is tried again. */
const OUTSIDE_PER_REFRESH = 16
const RETRY_OUTSIDE_MS = 60_000
const KEY = /^[0-9a-f]{64}$/
const params = new URLSearchParams(location.search)
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T
/** The connection's state and the timeline's freshness. */
const status = (text: string, error = false): void => { $('status').textContent = text; $('status').classList.toggle('error', error) }
/** The outcome of the last thing the user did (kept until the next one). */
const notice = (text: string, error = false): void => { $('notice').textContent = text; $('notice').classList.toggle('error', error) }

const mnemonic = savedMnemonic()
const me = keyPairFromMnemonic(mnemonic)
const myKey = toHex(me.publicKey)
$('me').textContent = myKey

const relayList = (params.get('relays') ?? '').split(',').filter(Boolean).map((item) => {
  const at = item.indexOf('@')
  return { key: item.slice(0, at).toLowerCase(), url: item.slice(at + 1) }
})
const relaysOk = relayList.length > 0 && relayList.every((r) => KEY.test(r.key) && /^wss?:\/\/./.test(r.url))
// The page's identity is also its key on the wire: the Noise handshake proves it to relays, and never sends it.
const dialer = webSocketDialer({ endpoints: relaysOk ? Object.fromEntries(relayList.map((r) => [r.key, r.url])) : {}, keyPair: me })
const blog = new Microblog({ keyPair: me, dialer, relays: relaysOk ? relayList.map((r) => fromHex(r.key, 32)) : [] })

// Follows persist in this browser; ?follow= adds to them.
for (const key of [...savedFollowing(), ...(params.get('follow') ?? '').toLowerCase().split(',').filter((k) => KEY.test(k) && k !== myKey)]) blog.follow(key)
saveFollowing(blog.following)

const profiles = new Map<string, Profile | null>()
const outside = new Map<string, StoredPost | null>()
const triedAt = new Map<string, number>()
let posts: StoredPost[] = []
let replyingTo: StoredPost | null = null

function draw (): void {
  $('timeline').replaceChildren(...renderTimeline({ me: myKey, posts, profiles, outside, now: Date.now(), onReply: startReply, onLike: like }))
  $('following').replaceChildren(...[...blog.following].map((key) => el('li', {},
    el('span', { class: 'author', title: key }, displayName(key, { me: myKey, profiles })), ' ',
    el('button', { type: 'button', class: 'unfollow', onclick: () => unfollow(key) }, 'Unfollow')
  )))
  $('following-count').textContent = `${blog.following.size}`
  const name = profiles.get(myKey)?.name ?? ''
  $('my-name').textContent = name === '' ? 'not named yet (set a name under “Your profile”)' : name
}

async function refresh (): Promise<void> {
  posts = await blog.timeline(30)
  // Posts quoted from outside the timeline: a few new ones per refresh, one that failed retried a minute later,
  // none kept once nothing refers to it (a hostile feed cannot make the page fetch or hold without end).
  const referenced = referencedOutside(posts)
  for (const hash of outside.keys()) if (!referenced.includes(hash)) outside.delete(hash)
  const now = Date.now()
  const wanted = referenced.filter((h) => outside.get(h) == null && now - (triedAt.get(h) ?? 0) > RETRY_OUTSIDE_MS).slice(0, OUTSIDE_PER_REFRESH)
  for (const hash of wanted) triedAt.set(hash, now)
  for (const hash of triedAt.keys()) if (!referenced.includes(hash)) triedAt.delete(hash)
  await Promise.all(wanted.map(async (hash) => { outside.set(hash, await blog.getPost(hash).catch(() => null)) }))
  const authors = new Set([myKey, ...blog.following, ...posts.map((p) => p.author), ...[...outside.values()].flatMap((p) => p === null ? [] : [p.author])])
  for (const author of profiles.keys()) if (!authors.has(author)) profiles.delete(author)
  await Promise.all([...authors].map(async (a) => { profiles.set(a, await blog.profile(a).catch(() => profiles.get(a) ?? null)) }))
  draw()
  const down = blog.unreachableRelays()
  const relays = down === 0 ? '' : ` · ${down} of ${relayList.length} relays could not be reached (the others serve everything)`
  status(`${posts.length} posts from ${blog.following.size + 1} people, every one verified · updated ${new Date().toLocaleTimeString()}${relays}`)
}

/** Refresh now, then every few seconds; a failure is said in words and tried again. */
let timer: ReturnType<typeof setTimeout> | undefined
async function loop (): Promise<void> {
  clearTimeout(timer)
  try {
    await refresh()
  } catch (err) {
    status(`${explain(err, 'Loading the timeline')} (trying again every few seconds)`, true)
  }
  timer = setTimeout(() => { void loop() }, REFRESH_MS)
}

function startReply (post: StoredPost): void {
  replyingTo = post
  $('replying-text').textContent = `Replying to ${displayName(post.author, { me: myKey, profiles })}: “${post.text.slice(0, 80)}${post.text.length > 80 ? '…' : ''}”`
  $('replying').hidden = false
  $<HTMLInputElement>('text').placeholder = 'Write your reply'
  $('text').focus()
}

function stopReply (): void {
  replyingTo = null
  $('replying').hidden = true
  $<HTMLInputElement>('text').placeholder = 'What is happening?'
}

function like (post: StoredPost): void {
  notice('Liking…')
  blog.post('', { likes: post.hash }).then(async () => { notice(`You liked ${displayName(post.author, { me: myKey, profiles })}'s post.`); await loop() }, (err: unknown) => notice(explain(err, 'Liking'), true))
}

function unfollow (key: string): void {
  blog.unfollow(key)
  saveFollowing(blog.following)
  notice(`You no longer follow ${displayName(key, { me: myKey, profiles })}.`)
  void loop()
}

$('compose').addEventListener('submit', (event) => {
  event.preventDefault()
  const text = $<HTMLInputElement>('text').value.trim()
  if (text === '') return
  // Private: the body is encrypted, its key sealed to each person followed (Lume has no follower list to seal it to).
  const readers = $<HTMLInputElement>('private').checked ? { readers: [...blog.following] } : {}
  const refs = replyingTo === null ? {} : { replyTo: replyingTo.hash }
  notice(replyingTo === null ? 'Posting…' : 'Replying…')
  blog.post(text, { ...refs, ...readers }).then(async ({ relays: n }) => {
    $<HTMLInputElement>('text').value = ''
    stopReply()
    const who = 'readers' in readers ? ` Only you and the ${blog.following.size} ${blog.following.size === 1 ? 'person' : 'people'} you follow can read it.` : ''
    notice(`Posted to ${n} of ${relayList.length} relays.${who}`)
    await loop()
  }, (err: unknown) => notice(explain(err, 'Posting'), true))
})
$('cancel-reply').addEventListener('click', stopReply)

$('follow-form').addEventListener('submit', (event) => {
  event.preventDefault()
  const key = $<HTMLInputElement>('follow').value.trim().toLowerCase()
  if (!KEY.test(key)) { notice('That is not a key: a key is 64 characters, 0–9 and a–f. Ask the person for theirs (it is under “you are” on their page).', true); return }
  if (key === myKey) { notice('That is your own key: your posts are always in your timeline.', true); return }
  blog.follow(key)
  saveFollowing(blog.following)
  $<HTMLInputElement>('follow').value = ''
  notice(`You now follow ${key.slice(0, 8)}…; their posts appear below.`)
  void loop()
})

$('profile-form').addEventListener('submit', (event) => {
  event.preventDefault()
  const profile = { name: $<HTMLInputElement>('name').value, bio: $<HTMLTextAreaElement>('bio').value }
  notice('Saving your profile…')
  blog.setProfile(profile).then(async (n) => { notice(`Your profile is saved on ${n} of ${relayList.length} relays.`); await loop() }, (err: unknown) => notice(explain(err, 'Saving your profile'), true))
})

$('show-backup').addEventListener('click', () => {
  const shown = !$('backup').hidden
  $('backup').hidden = shown
  $('mnemonic').textContent = shown ? '' : mnemonic
  $('show-backup').textContent = shown ? 'Back up your identity' : 'Hide your secret words'
})
$('import-form').addEventListener('submit', (event) => {
  event.preventDefault()
  if (importMnemonic($<HTMLTextAreaElement>('import-words').value)) location.reload()
  else $('import-status').textContent = 'Those words are not a valid recovery phrase: check each word and their order (24 words, as this page showed them).'
})

if (!relaysOk) {
  status('This page does not know any relays. Open it with ?relays=<relay key>@ws://host:port,… (see the README); each relay prints its key and address when it starts.', true)
  for (const id of ['text', 'post', 'save-profile']) $<HTMLButtonElement>(id).disabled = true
} else {
  status('Connecting to the relays…')
  blog.profile(myKey).then((p) => {
    if (p === null) return
    $<HTMLInputElement>('name').value = p.name
    $<HTMLTextAreaElement>('bio').value = p.bio
  }, () => {})
  void loop()
}
