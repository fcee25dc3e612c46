// The timeline as people read it: replies under what they answer (or quoting it), likes as counts and
// names on the post liked, authors by name with their key on hover, dates relative with the full one on hover.
import type { Profile, StoredPost } from '../src/index.js'
import { el } from './dom.js'
import { absoluteTime, relativeTime } from './time.js'

/** What {@link renderTimeline} shows, and what its buttons do. */
export interface TimelineView {
  /** This browser's key, hex. */
  me: string
  /** Newest first, as `Microblog.timeline` gives them. */
  posts: readonly StoredPost[]
  profiles: ReadonlyMap<string, Profile | null>
  /** Posts replied to or liked that are not in `posts` (null: no relay could give a verified copy). */
  outside: ReadonlyMap<string, StoredPost | null>
  now: number
  onReply: (post: StoredPost) => void
  onLike: (post: StoredPost) => void
}

/** The hashes `posts` reply to or like that are not among them: fetch these to quote them. */
export function referencedOutside (posts: readonly StoredPost[]): string[] {
  const have = new Set(posts.map((p) => p.hash))
  const refs = posts.flatMap((p) => [p.replyTo, p.likes]).filter((h): h is string => h !== undefined && !have.has(h))
  return [...new Set(refs)]
}

/** A person as shown: their name (or the start of their key), "you" for this browser. */
export function displayName (author: string, view: Pick<TimelineView, 'me' | 'profiles'>): string {
  const name = view.profiles.get(author)?.name ?? ''
  if (author === view.me) return name === '' ? 'you' : `${name} (you)`
  return name === '' ? `${author.slice(0, 8)}…` : name
}

/** The timeline's list items. */
export function renderTimeline (view: TimelineView): HTMLLIElement[] {
  const byHash = new Map(view.posts.map((p) => [p.hash, p]))
  const likers = new Map<string, Set<string>>()
  const replies = new Map<string, StoredPost[]>()
  const top: StoredPost[] = []
  for (const post of view.posts) {
    if (post.likes !== undefined) {
      const set = likers.get(post.likes) ?? new Set<string>()
      set.add(post.author)
      likers.set(post.likes, set)
      if (!byHash.has(post.likes)) top.push(post)
    } else if (post.replyTo !== undefined && byHash.get(post.replyTo)?.likes === undefined && byHash.has(post.replyTo)) {
      replies.set(post.replyTo, [post, ...(replies.get(post.replyTo) ?? [])])
    } else top.push(post)
  }
  // Only the first like of someone else's post outside the view gets a line; the rest are counted there.
  const shownLikes = new Set<string>()
  const items: HTMLLIElement[] = []
  for (const post of top) {
    if (post.likes !== undefined) {
      if (shownLikes.has(post.likes)) continue
      shownLikes.add(post.likes)
      items.push(likeItem(post, likers.get(post.likes) ?? new Set(), view))
    } else items.push(postItem(post, view, likers, replies, true))
  }
  return items
}

function postItem (post: StoredPost, view: TimelineView, likers: ReadonlyMap<string, ReadonlySet<string>>, replies: ReadonlyMap<string, StoredPost[]>, topLevel: boolean): HTMLLIElement {
  const liked = likers.get(post.hash) ?? new Set<string>()
  const mine = liked.has(view.me)
  const quote = post.replyTo !== undefined && topLevel ? quoted('Replying to', view.outside.get(post.replyTo), view) : null
  const label = post.replyTo !== undefined && !topLevel ? el('div', { class: 'context' }, `↩ replying to ${displayName(byAuthorOf(post.replyTo, view) ?? '', view)}`) : null
  const thread = replies.get(post.hash) ?? []
  return el('li', { class: 'post', 'data-hash': post.hash, 'data-author': post.author },
    byline(post, view),
    label,
    quote,
    post.sealed === undefined ? null : el('div', { class: 'private' }, privacy(post, view)),
    post.sealed === 'opened' || post.sealed === undefined ? el('div', { class: 'text' }, post.text) : null,
    el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'reply', onclick: () => view.onReply(post) }, 'Reply'),
      el('button', { type: 'button', class: 'like', 'aria-pressed': mine ? 'true' : 'false', disabled: mine, onclick: () => view.onLike(post) }, `♥ ${mine ? 'Liked' : 'Like'}${liked.size > 0 ? ` · ${liked.size}` : ''}`),
      liked.size === 0 ? null : el('span', { class: 'liked-by' }, `liked by ${[...liked].map((a) => displayName(a, view)).join(', ')}`)
    ),
    thread.length === 0 ? null : el('ol', { class: 'thread' }, ...thread.map((r) => postItem(r, view, likers, replies, false)))
  )
}

function likeItem (like: StoredPost, liked: ReadonlySet<string>, view: TimelineView): HTMLLIElement {
  return el('li', { class: 'post like-of-other', 'data-hash': like.hash, 'data-author': like.author },
    byline(like, view, `♥ ${[...liked].map((a) => displayName(a, view)).join(', ')} liked`),
    quoted('', view.outside.get(like.likes ?? ''), view)
  )
}

function byline (post: StoredPost, view: TimelineView, what?: string): HTMLElement {
  return el('div', { class: 'byline' },
    el('span', { class: 'author', title: post.author }, what ?? displayName(post.author, view)),
    el('time', { class: 'when', datetime: new Date(post.ts).toISOString(), title: absoluteTime(post.ts) }, relativeTime(post.ts, view.now))
  )
}

function quoted (lead: string, parent: StoredPost | null | undefined, view: TimelineView): HTMLElement {
  if (parent === undefined || parent === null) return el('blockquote', { class: 'quote missing' }, `${lead === '' ? '' : `${lead} `}a post no relay could show (it may not have reached them yet)`)
  return el('blockquote', { class: 'quote' },
    el('div', { class: 'quote-author', title: parent.author }, `${lead === '' ? '' : `${lead} `}${displayName(parent.author, view)}`),
    el('div', { class: 'quote-text' }, parent.text)
  )
}

/** What a private post says about itself: who may read it, or why it does not show. */
function privacy (post: StoredPost, view: TimelineView): string {
  const author = post.author === view.me ? 'you' : displayName(post.author, view)
  const others = Object.keys(post.private?.keys ?? {}).filter((k) => k !== post.author)
  if (post.sealed === 'locked') return `🔒 A private post ${author} shared with ${others.length} ${others.length === 1 ? 'person' : 'people'}; you are not one of them.`
  if (post.sealed === 'unreadable') return '🔒 A private post for you that could not be opened (its body is on no relay you can reach, or its key does not fit).'
  if (others.length === 0) return '🔒 Only you can read this.'
  return `🔒 Private: ${others.includes(view.me) ? 'shared with you' : `only ${others.length} ${others.length === 1 ? 'person' : 'people'} can read it`}.`
}

function byAuthorOf (hash: string, view: TimelineView): string | undefined {
  return view.posts.find((p) => p.hash === hash)?.author ?? view.outside.get(hash)?.author
}
