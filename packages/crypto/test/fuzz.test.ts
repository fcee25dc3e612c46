import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ErrorCode, LumeError } from '@lume/types'
import { generateMnemonic, isValidMnemonic, mnemonicToSeed, parsePath } from '../src/index.js'
import { fuzzParams } from '../../../scripts/test-helpers/fuzz.ts'

describe('fuzz: text parsers', () => {
  it('derivation paths: hardened indexes below 2^31, or INVALID_DERIVATION_PATH', () => {
    const step = fc.oneof(fc.nat(2 ** 32).map((n) => `${n}'`), fc.constant("99999999999999999999'"), fc.constantFrom("0'", "44'", '0', '1h', '1H', "01'", "-1'", "'", ''), fc.string({ maxLength: 4 }))
    const path = fc.oneof(fc.array(step, { maxLength: 6 }).map((steps) => ['m', ...steps].join('/')), fc.string({ maxLength: 20 }))
    fc.assert(fc.property(path, (text) => {
      let indexes: number[]
      try { indexes = parsePath(text) } catch (err) { expect(LumeError.hasCode(err, ErrorCode.INVALID_DERIVATION_PATH)).toBe(true); return }
      for (const i of indexes) expect(Number.isInteger(i) && i >= 0 && i < 2 ** 31).toBe(true)
    }), fuzzParams())
  })

  it('mnemonics: isValidMnemonic never throws; mnemonicToSeed refuses what it rejects with INVALID_MNEMONIC', () => {
    const words = generateMnemonic(12).split(' ')
    const phrase = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.shuffledSubarray(words).map((w) => w.join(' ')),
      fc.tuple(fc.nat(11), fc.string({ maxLength: 8 })).map(([i, w]) => words.map((x, j) => j === i ? w : x).join(' '))
    )
    fc.assert(fc.property(phrase, (text) => {
      if (isValidMnemonic(text)) return // a valid phrase costs a PBKDF2 run: covered by keys.test.ts
      expect(LumeError.hasCode((() => { try { mnemonicToSeed(text) } catch (err) { return err } return undefined })(), ErrorCode.INVALID_MNEMONIC)).toBe(true)
    }), { numRuns: Math.max(1, Math.floor(fuzzParams().numRuns / 4)) })
  })
})

describe('fuzz regressions: text parsers', () => {
  it('a derivation path deeper than 255 steps is refused (BIP32 depth is one byte; a long path only burns CPU)', () => {
    expect(LumeError.hasCode((() => { try { parsePath('m' + "/0'".repeat(256)) } catch (err) { return err } return undefined })(), ErrorCode.INVALID_DERIVATION_PATH)).toBe(true)
    expect(parsePath('m' + "/0'".repeat(255))).toHaveLength(255)
  })
})
