import { describe, expect, it } from 'vitest'
import { BudgetBook } from '@lume/rpc/internal'
import { chooseVictim } from '../src/lib/shedding.js'

describe('shedding at the connection cap', () => {
  const book = new BudgetBook()
  book.defineBudget('conn', { perPeer: 1, perAddress: 100, global: 100 })
  const connect = (remoteHost: string): { remoteHost: string } => {
    book.peer(remoteHost).hold('conn')
    return { remoteHost }
  }
  const held = (host: string): number => book.usedBy(host, 'conn')
  const inbound = [connect('10.0.0.1'), connect('10.0.0.1'), connect('10.0.0.1'), connect('10.0.0.2')]

  it('sheds the newest connection of the address holding the most for a newcomer from elsewhere', () => {
    expect(chooseVictim(inbound, '10.0.0.3', held)).toBe(inbound[2])
    expect(chooseVictim(inbound, '10.0.0.2', held)).toBe(inbound[2])
  })

  it('never sheds for the offender itself, nor between addresses holding about the same', () => {
    expect(chooseVictim(inbound, '10.0.0.1', held)).toBeNull()
    expect(chooseVictim(inbound.slice(2), '10.0.0.3', held)).toBe(inbound[2]) // 3 vs 0: still the top holder
    expect(chooseVictim([inbound[3]!], '10.0.0.3', held)).toBeNull() // 1 vs 0: no gain in swapping
  })
})
