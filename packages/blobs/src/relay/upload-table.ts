import { ErrorCode, LumeError, type Logger, type PeerBudget } from '@lume/types'
import type { UploadFile } from '../store/upload-file.js'

/** An upload being received, owned by one connection (known by its budget). */
export interface OpenUpload {
  id: number
  budget: PeerBudget
  file: UploadFile
  release: () => void
  timer: ReturnType<typeof setTimeout> | null
}

/**
 * The uploads open on a relay, by id and by connection. An upload is dropped
 * (temp file deleted, budget released) when its connection closes, when it
 * is idle for `idleMs`, or on request.
 */
export class UploadTable {
  private readonly byId = new Map<number, OpenUpload>()
  private readonly byConnection = new Map<PeerBudget, Set<OpenUpload>>()
  private nextId = 1

  constructor (private readonly idleMs: number, private readonly logger: () => Logger | undefined) {}

  /** Register an upload of the connection `budget` belongs to; returns it, with its idle timer running. */
  open (budget: PeerBudget, file: UploadFile, release: () => void): OpenUpload {
    const upload: OpenUpload = { id: this.nextId++, budget, file, release, timer: null }
    this.byId.set(upload.id, upload)
    const set = this.byConnection.get(budget) ?? new Set()
    set.add(upload)
    this.byConnection.set(budget, set)
    this.touch(upload)
    return upload
  }

  /** The upload `id` of this connection; `NOT_FOUND` for another connection's (ids are per connection). */
  find (id: number, budget: PeerBudget): OpenUpload {
    const upload = this.byId.get(id)
    if (upload === undefined || upload.budget !== budget) throw new LumeError(ErrorCode.NOT_FOUND, `no upload ${id} on this connection`)
    return upload
  }

  /** Restart the upload's idle timer. */
  touch (upload: OpenUpload): void {
    if (upload.timer !== null) clearTimeout(upload.timer)
    upload.timer = setTimeout(() => this.drop(upload), this.idleMs)
    upload.timer.unref?.()
  }

  /** Take the upload out of the table to finish it (its file and budget are the caller's now). */
  take (upload: OpenUpload): void {
    this.byId.delete(upload.id)
    this.byConnection.get(upload.budget)?.delete(upload)
    if (upload.timer !== null) clearTimeout(upload.timer)
  }

  /** Drop an upload: its temp file goes, its budget is released. */
  drop (upload: OpenUpload): void {
    if (!this.byId.has(upload.id)) return
    this.take(upload)
    upload.release()
    upload.file.discard().catch((err: unknown) => this.logger()?.warn({ err }, 'dropping an upload\'s temp file failed'))
  }

  /** Drop every upload of a closed connection. */
  dropConnection (budget: PeerBudget): void {
    for (const upload of [...this.byConnection.get(budget) ?? []]) this.drop(upload)
    this.byConnection.delete(budget)
  }

  /** Drop them all (the relay stops). */
  dropAll (): void {
    for (const upload of [...this.byId.values()]) this.drop(upload)
  }
}
