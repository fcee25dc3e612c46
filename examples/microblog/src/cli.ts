#!/usr/bin/env node
// lume-microblog: post, follow, read your timeline and watch it, as yourself.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createDhtNode, parseAddresses } from '@lume/dht'
import { fromHex, LumeError, toHex } from '@lume/types'
import { generateMnemonic, keyPairFromMnemonic } from '@lume/crypto'
import { Microblog } from './microblog.js'
import type { StoredPost } from './post.js'

const usage = `usage: lume-microblog <command> [--dir DIR] [--relays KEY,KEY] [--bootstrap HOST:PORT,…]

  init                 create your identity (a mnemonic in DIR/identity, mode 0600)
  whoami               print your public key
  follow KEY           follow someone (kept in DIR/following.json)
  unfollow KEY
  post TEXT            publish [--reply-to HASH] [--like HASH]
  timeline             your and your follows' newest posts [--limit N]
  watch                print new posts of the people you follow as they appear

DIR defaults to ~/.lume-microblog; --relays and --bootstrap can be saved with 'init'.`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: 'string' },
    relays: { type: 'string' },
    bootstrap: { type: 'string' },
    'reply-to': { type: 'string' },
    like: { type: 'string' },
    limit: { type: 'string', default: '20' },
    help: { type: 'boolean', short: 'h', default: false }
  }
})
const dir = values.dir ?? join(homedir(), '.lume-microblog')
const [command, ...args] = positionals

interface Settings { relays: string[], bootstrap: string[], following: string[] }

async function settings (): Promise<Settings> {
  const text = await readFile(join(dir, 'settings.json'), 'utf8').catch(() => '{}')
  const saved = JSON.parse(text) as Partial<Settings>
  return {
    relays: values.relays?.split(',') ?? saved.relays ?? [],
    bootstrap: values.bootstrap?.split(',') ?? saved.bootstrap ?? [],
    following: saved.following ?? []
  }
}

async function save (s: Settings): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await writeFile(join(dir, 'settings.json'), JSON.stringify(s, null, 2) + '\n')
}

async function identity (): Promise<ReturnType<typeof keyPairFromMnemonic>> {
  const mnemonic = await readFile(join(dir, 'identity'), 'utf8').catch(() => null)
  if (mnemonic === null) throw LumeError.invalidArgument(`no identity in ${dir}: run 'lume-microblog init' first`)
  return keyPairFromMnemonic(mnemonic.trim())
}

function show (post: StoredPost): void {
  const when = new Date(post.ts).toISOString().replace('T', ' ').slice(0, 19)
  const ref = post.replyTo !== undefined ? ` (reply to ${post.replyTo.slice(0, 8)})` : post.likes !== undefined ? ` (likes ${post.likes.slice(0, 8)})` : ''
  console.log(`${when}  ${post.author.slice(0, 8)}  ${post.text}${ref}  [${post.hash.slice(0, 8)}]`)
}

async function withBlog (fn: (blog: Microblog, s: Settings) => Promise<void>): Promise<void> {
  const s = await settings()
  if (s.relays.length === 0) throw LumeError.invalidArgument('no relays: pass --relays KEY,KEY (and --bootstrap for a private DHT)')
  const bootstrap = parseAddresses(s.bootstrap)
  const loopback = bootstrap.length > 0 && bootstrap.every((b) => b.host.startsWith('127.'))
  const dht = createDhtNode({ bootstrap, ...(loopback ? { host: '127.0.0.1' } : {}) })
  const blog = new Microblog({ keyPair: await identity(), dialer: dht, relays: s.relays.map((k) => fromHex(k, 32)) })
  for (const f of s.following) blog.follow(f)
  try {
    await fn(blog, s)
  } finally {
    await blog.close()
    await dht.destroy()
  }
}

async function run (): Promise<void> {
  switch (command) {
    case 'init': {
      await mkdir(dir, { recursive: true, mode: 0o700 })
      const existing = await readFile(join(dir, 'identity'), 'utf8').catch(() => null)
      if (existing === null) await writeFile(join(dir, 'identity'), generateMnemonic() + '\n', { mode: 0o600 })
      await save(await settings())
      console.log(`identity in ${join(dir, 'identity')} (back it up); you are ${toHex((await identity()).publicKey)}`)
      return
    }
    case 'whoami': console.log(toHex((await identity()).publicKey)); return
    case 'follow':
    case 'unfollow': {
      const key = args[0] ?? ''
      fromHex(key, 32)
      const s = await settings()
      s.following = command === 'follow' ? [...new Set([...s.following, key])] : s.following.filter((f) => f !== key)
      await save(s)
      console.log(`${command === 'follow' ? 'following' : 'stopped following'} ${key.slice(0, 12)}…; now following ${s.following.length}`)
      return
    }
    case 'post': await withBlog(async (blog) => {
      const refs = { ...(values['reply-to'] === undefined ? {} : { replyTo: values['reply-to'] }), ...(values.like === undefined ? {} : { likes: values.like }) }
      const { post, relays } = await blog.post(args.join(' '), refs)
      console.log(`posted ${post.hash.slice(0, 12)}… to ${relays} relays`)
    }); return
    case 'timeline': await withBlog(async (blog) => { for (const post of await blog.timeline(Number(values.limit))) show(post) }); return
    case 'watch': await withBlog(async (blog) => {
      console.log(`watching ${blog.following.size} people; Ctrl-C to stop`)
      const stop = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()))
      const stream = blog.watch()
      for (;;) {
        const next = await Promise.race([stream.next(), stop.then(() => null)])
        if (next === null || next.done === true) break
        show(next.value)
      }
      await stream.return(undefined)
    }); return
    default:
      console.log(usage)
      if (command !== undefined && command !== 'help') process.exitCode = 2
  }
}

if (values.help) console.log(usage)
else {
  try {
    await run()
  } catch (err) {
    console.error(`lume-microblog: ${LumeError.isInstance(err) ? `${err.code}: ` : ''}${(err as Error).message}`)
    process.exitCode = 1
  }
}
