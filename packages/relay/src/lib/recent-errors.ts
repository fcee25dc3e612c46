/** One failed call, as the status page lists it. */
export interface RecentError {
  /** Unix time, ms. */
  at: number
  method: string
  code: string
}

/** The last `max` failed calls, newest last; a fixed-size memory whatever peers send. */
export class RecentErrors {
  private readonly list: RecentError[] = []

  constructor (private readonly max = 20) {}

  add (error: RecentError): void {
    this.list.push(error)
    if (this.list.length > this.max) this.list.shift()
  }

  all (): RecentError[] {
    return [...this.list]
  }
}
