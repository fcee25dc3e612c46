import { describe, expect, it } from 'vitest'
import { ErrorCode, importPeer, LumeError } from '../src/index.js'

const errorOf = async (p: Promise<unknown>): Promise<unknown> => { try { await p } catch (err) { return err } return undefined }

describe('importPeer', () => {
  it('names the package to install when it is missing (MISSING_DEPENDENCY)', async () => {
    // A specifier no one publishes: Node's own "not found" error, as for a missing lmdb.
    const name = 'lume-test-absent-peer'
    const err = await errorOf(importPeer(name, '@lume/registry/lmdb', async () => await import(/* @vite-ignore */ name)))
    expect(LumeError.hasCode(err, ErrorCode.MISSING_DEPENDENCY)).toBe(true)
    expect((err as LumeError).message).toContain(`npm install ${name}`)
    expect((err as LumeError).message).toContain('@lume/registry/lmdb')
  })

  it('returns the module when it is there', async () => {
    const mod = await importPeer('fast-check', 'x', async () => await import('fast-check'))
    expect(typeof mod.assert).toBe('function')
  })

  it('passes other failures through unchanged', async () => {
    const boom = new Error('init failed')
    expect(await errorOf(importPeer('x', 'y', async () => { throw boom }))).toBe(boom)
  })
})
