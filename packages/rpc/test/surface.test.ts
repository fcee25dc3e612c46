import { describe, expect, it } from 'vitest'

// The main entry is the transport and the method registry; everything else sits behind a subpath.
describe('public surface', () => {
  it('the main entry exports the transport and the method registry only', async () => {
    expect(Object.keys(await import('../src/index.js')).sort()).toEqual([
      'MethodRegistry', 'RpcConnection', 'WebSocketStream', 'acceptWebSocket', 'assertMethodName', 'connectWebSocket', 'defineMethod'
    ])
  })

  it('the relay\'s core methods and the signed-answer internals are behind subpaths', async () => {
    expect(Object.keys(await import('../src/core.js')).sort()).toEqual(['CoreMethods', 'MAX_BROADCAST_RELAYS', 'verifyBroadcast'])
    expect(Object.keys(await import('../src/signed.js'))).toEqual(expect.arrayContaining(['requestHash', 'verifyAnswer', 'buildTree', 'rootFromProof', 'BatchSigner']))
    expect(Object.keys(await import('../src/internal.js'))).toEqual(expect.arrayContaining(['BudgetBook', 'responseEnvelope', 'RPC_VERSION']))
  })
})
