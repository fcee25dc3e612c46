import { LumeError } from '@lume/types'

/** The LumeError `p` rejects with; fails the test if it resolves or rejects with anything else. */
export async function errorOf (p: Promise<unknown>): Promise<LumeError> {
  try {
    await p
  } catch (err) {
    if (LumeError.isInstance(err)) return err
    throw err
  }
  throw new Error('expected a LumeError')
}
