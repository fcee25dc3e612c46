#!/usr/bin/env node
// lume-microblog: post, follow, read your timeline and watch it, as yourself.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createDhtNode, parseAddresses } from '@lume/dht'
import { fromHex, LumeError, toHex } from '@lume/types'
import { generateMnemonic, isValidMnemonic, keyPairFromMnemonic } from '@lume/crypto'
import { explain } from './explain.js'
import { Microblog } from './microblog.js'
import type { Profile, StoredPost } from './post.js'

const usage = `usage: lume-microblog <command> [--dir DIR] [--relays KEY,KEY] [--bootstrap HOST:PORT,…]

  init                 create your identity (a mnemonic in DIR/identity, mode 0600)
  init --import        use an identity you backed up: the mnemonic is read from stdin
  whoami               print your public key
  backup               print your mnemonic (your secret: whoever has it is you)
  profile NAME         set the name others see beside your key [--bio TEXT]
  follow KEY           follow someone (kept in DIR/following.json)
  unfollow KEY
  post TEXT            publish [--reply-to HASH] [--like HASH] (HASH: as the timeline shows it)
                       [--private]: only the people you follow can read it
  timeline             your and your follows' newest posts [--limit N]
  watch                print new posts of the people you follow as they appear

DIR defaults to $XDG_STATE_HOME/lume-microblog (~/.local/state/lume-microblog);
--relays and --bootstrap can be saved with 'init'.`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: 'string' },
    relays: { type: 'string' },
    bootstrap: { type: 'string' },
    'reply-to': { type: 'string' },
    like: { type: 'string' },
    bio: { type: 'string', default: '' },
    import: { type: 'boolean', default: false },
    private: { type: 'boolean', default: false },
    limit: { type: 'string', default: '20' },
    help: { type: 'boolean', short: 'h', default: false }
  }
})
// State, not config: the XDG state directory (never the working directory, which may be a repository).
const dir = values.dir ?? join(process.env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'lume-microblog')
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

/** One line per post: when, who (name and short key), what, and what it answers (quoted when it is at hand). */
function show (post: StoredPost, names: ReadonlyMap<string, Profile | null>, around: readonly StoredPost[] = []): void {
  const when = new Date(post.ts).toISOString().replace('T', ' ').slice(0, 19)
  const who = (author: string): string => {
    const name = names.get(author)?.name
    return `${name === undefined || name === '' ? '' : `${name} `}${author.slice(0, 8)}`
  }
  const quote = (hash: string): string => {
    const target = around.find((p) => p.hash === hash)
    return target === undefined ? `[${hash.slice(0, 8)}]` : `${who(target.author)}: "${target.text.length > 40 ? `${target.text.slice(0, 40)}…` : target.text}" [${hash.slice(0, 8)}]`
  }
  const text = post.sealed === 'locked' ? '🔒 (a private post, not for you)' : post.sealed === 'unreadable' ? '🔒 (a private post for you that could not be opened)' : `${post.sealed === 'opened' ? '🔒 ' : ''}${post.text}`
  const line = post.likes !== undefined ? `♥ likes ${quote(post.likes)}` : `${text}${post.replyTo !== undefined ? `  (reply to ${quote(post.replyTo)})` : ''}`
  console.log(`${when}  ${who(post.author)}  ${line}  [${post.hash.slice(0, 8)}]`)
}

/** The profiles of the authors of `posts`. */
async function namesOf (blog: Microblog, posts: StoredPost[]): Promise<Map<string, Profile | null>> {
  const authors = [...new Set(posts.map((p) => p.author))]
  return new Map(await Promise.all(authors.map(async (a) => [a, await blog.profile(a).catch(() => null)] as const)))
}

/** A post's full hash from the start of it, as the timeline shows it (a full hash is taken as it is). */
async function findPost (blog: Microblog, prefix: string): Promise<string> {
  const wanted = prefix.toLowerCase()
  if (/^[0-9a-f]{64}$/.test(wanted)) return wanted
  if (!/^[0-9a-f]{4,}$/.test(wanted)) throw LumeError.invalidArgument(`"${prefix}" is not the start of a post's hash (at least 4 of its characters, 0-9 a-f)`)
  const matches = (await blog.timeline(100)).filter((p) => p.hash.startsWith(wanted))
  if (matches.length !== 1) throw LumeError.invalidArgument(`${matches.length === 0 ? 'no post in your timeline' : 'more than one post'} starts with "${prefix}": give more of its hash`)
  return (matches[0] as StoredPost).hash
}

async function readStdin (): Promise<string> {
  const parts: Buffer[] = []
  for await (const part of process.stdin) parts.push(part as Buffer)
  return Buffer.concat(parts).toString('utf8')
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
      if (values.import) {
        const mnemonic = (await readStdin()).trim().split(/\s+/).join(' ')
        if (!isValidMnemonic(mnemonic)) throw LumeError.invalidArgument('that is not a valid mnemonic (24 or 12 English words, as \'backup\' printed them)')
        if (existing !== null && existing.trim() !== mnemonic) throw LumeError.invalidArgument(`${join(dir, 'identity')} already holds another identity: import into a new --dir`)
        await writeFile(join(dir, 'identity'), mnemonic + '\n', { mode: 0o600 })
      } else if (existing === null) await writeFile(join(dir, 'identity'), generateMnemonic() + '\n', { mode: 0o600 })
      await save(await settings())
      console.log(`identity in ${join(dir, 'identity')} (back it up); you are ${toHex((await identity()).publicKey)}`)
      return
    }
    case 'whoami': console.log(toHex((await identity()).publicKey)); return
    case 'backup':
      console.error('Your secret: whoever has these words is you. Keep them offline; never paste them into a website or a chat.')
      console.log((await readFile(join(dir, 'identity'), 'utf8').catch(() => { throw LumeError.invalidArgument(`no identity in ${dir}: run 'lume-microblog init' first`) })).trim())
      return
    case 'profile': await withBlog(async (blog) => {
      const relays = await blog.setProfile({ name: args.join(' '), bio: values.bio })
      console.log(`you are now "${args.join(' ').trim()}" on ${relays} relays`)
    }); return
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
      const refs = {
        ...(values['reply-to'] === undefined ? {} : { replyTo: await findPost(blog, values['reply-to']) }),
        ...(values.like === undefined ? {} : { likes: await findPost(blog, values.like) }),
        // Lume has no follower list (following is reading): a private post is for the people you follow.
        ...(values.private ? { readers: [...blog.following] } : {})
      }
      const { post, relays } = await blog.post(args.join(' '), refs)
      console.log(`posted ${post.hash.slice(0, 12)}… to ${relays} relays`)
    }); return
    case 'timeline': await withBlog(async (blog) => {
      const posts = await blog.timeline(Number(values.limit))
      const names = await namesOf(blog, posts)
      for (const post of posts) show(post, names, posts)
    }); return
    case 'watch': await withBlog(async (blog) => {
      console.log(`watching ${blog.following.size} people; Ctrl-C to stop`)
      const stop = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()))
      const stream = blog.watch()
      for (;;) {
        const next = await Promise.race([stream.next(), stop.then(() => null)])
        if (next === null || next.done === true) break
        show(next.value, await namesOf(blog, [next.value]))
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
    console.error(`lume-microblog: ${explain(err, `'${command ?? ''}'`)}`)
    process.exitCode = 1
  }
}
