import { describe, expect, it } from 'vitest'
import { ErrorCode, LumeError, LUME_DERIVATION_PATH, LUME_TOPIC, toHex } from '@lume/types'
import {
  deriveChildKeyPair, generateMnemonic, isValidMnemonic,
  keyPairFromMnemonic, keyPairFromSeed, mnemonicToSeed, sha256, slip10Derive, slip10Master
} from '../src/index.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'))

// BIP39 reference vectors (trezor/python-mnemonic vectors.json, passphrase "TREZOR").
const bip39Vectors = [
  ['abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
    'c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04'],
  ['legal winner thank year wave sausage worth useful legal winner thank yellow',
    '2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c80937a1c1069be3a3a5bd381ee6260e8d9739fce1f607'],
  ['letter advice cage absurd amount doctor acoustic avoid letter advice cage above',
    'd71de856f81a8acc65e6fc851a38d4d7ec216fd0796d0a6827a3ad6ed5511a30fa280f12eb2e47ed2ac03b5c462a0358d18d69fe4f985ec81778c1b370b652a8'],
  ['zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong',
    'ac27495480225222079d7be181583751e86f571027b0497b5b5d11218e0a8a13332572917f0f8e5a589620c6f15b11c61dee327651a14c34e18231052e48c069'],
  ['abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art',
    'bda85446c68413707090a52022edd26a1c9462295029f2e60cd7c4f2bbd3097170af7a4d73245cafa9c3cca8d561a7c3de6f5d4a10be8ed2a5e608d68f92fcc8']
] as const

// SLIP-0010 published ed25519 test vectors (satoshilabs/slips slip-0010.md).
const slip10Vectors = [
  {
    seed: '000102030405060708090a0b0c0d0e0f',
    masterPublic: 'a4b2856bfec510abab89753fac1ac0e1112364e7d250545963f135f2a33188ed',
    chains: [
      ['m', '90046a93de5380a72b5e45010748567d5ea02bbf6522f979e05c0d8d8ca9fffb', '2b4be7f19ee27bbf30c667b642d5f4aa69fd169872f8fc3059c08ebae2eb19e7'],
      ["m/0'", '8b59aa11380b624e81507a27fedda59fea6d0b779a778918a2fd3590e16e9c69', '68e0fe46dfb67e368c75379acec591dad19df3cde26e63b93a8e704f1dade7a3'],
      ["m/0'/1'", 'a320425f77d1b5c2505a6b1b27382b37368ee640e3557c315416801243552f14', 'b1d0bad404bf35da785a64ca1ac54b2617211d2777696fbffaf208f746ae84f2'],
      ["m/0'/1'/2'", '2e69929e00b5ab250f49c3fb1c12f252de4fed2c1db88387094a0f8c4c9ccd6c', '92a5b23c0b8a99e37d07df3fb9966917f5d06e02ddbd909c7e184371463e9fc9'],
      ["m/0'/1'/2'/2'", '8f6d87f93d750e0efccda017d662a1b31a266e4a6f5993b15f5c1f07f74dd5cc', '30d1dc7e5fc04c31219ab25a27ae00b50f6fd66622f6e9c913253d6511d1e662'],
      ["m/0'/1'/2'/2'/1000000000'", '68789923a0cac2cd5a29172a475fe9e0fb14cd6adb5ad98a3fa70333e7afa230', '8f94d394a8e8fd6b1bc2f3f49f5c47e385281d5c17e65324b0f62483e37e8793']
    ]
  },
  {
    seed: 'fffcf9f6f3f0edeae7e4e1dedbd8d5d2cfccc9c6c3c0bdbab7b4b1aeaba8a5a29f9c999693908d8a8784817e7b7875726f6c696663605d5a5754514e4b484542',
    masterPublic: '8fe9693f8fa62a4305a140b9764c5ee01e455963744fe18204b4fb948249308a',
    chains: [
      ['m', 'ef70a74db9c3a5af931b5fe73ed8e1a53464133654fd55e7a66f8570b8e33c3b', '171cb88b1b3c1db25add599712e36245d75bc65a1a5c9e18d76f9f2b1eab4012'],
      ["m/0'", '0b78a3226f915c082bf118f83618a618ab6dec793752624cbeb622acb562862d', '1559eb2bbec5790b0c65d8693e4d0875b1747f4970ae8b650486ed7470845635'],
      ["m/0'/2147483647'", '138f0b2551bcafeca6ff2aa88ba8ed0ed8de070841f0c4ef0165df8181eaad7f', 'ea4f5bfe8694d8bb74b7b59404632fd5968b774ed545e810de9c32a4fb4192f4'],
      ["m/0'/2147483647'/1'", '73bd9fff1cfbde33a1b846c27085f711c0fe2d66fd32e139d3ebc28e5a4a6b90', '3757c7577170179c7868353ada796c839135b3d30554bbb74a4b1e4a5a58505c'],
      ["m/0'/2147483647'/1'/2147483646'", '0902fe8a29f9140480a00ef244bd183e8a13288e4412d8389d140aac1794825a', '5837736c89570de861ebc173b1086da4f505d4adb387c6a1b1342d5e4ac9ec72'],
      ["m/0'/2147483647'/1'/2147483646'/2'", '5d70af781f3a37b829f0d060924d5e960bdc02e85423494afc0b1a41bbe196d4', '551d333177df541ad876a60ea71f00447931c0a9da16f227c11ea080d7391b8d']
    ]
  }
]

describe('BIP39', () => {
  it.each(bip39Vectors)('seed of "%s"', (mnemonic, seed) => {
    expect(hex(mnemonicToSeed(mnemonic, 'TREZOR'))).toBe(seed)
  })

  it('generates valid 12- and 24-word phrases', () => {
    expect(generateMnemonic().split(' ')).toHaveLength(24)
    expect(generateMnemonic(12).split(' ')).toHaveLength(12)
    expect(isValidMnemonic(generateMnemonic())).toBe(true)
  })

  it('tolerates case and extra white space, but not a bad checksum', () => {
    const phrase = bip39Vectors[0][0]
    expect(hex(mnemonicToSeed(`  ${phrase.toUpperCase().replaceAll(' ', '   ')} `, 'TREZOR'))).toBe(bip39Vectors[0][1])
    const bad = phrase.replace(/about$/, 'abandon')
    expect(isValidMnemonic(bad)).toBe(false)
    expect(() => mnemonicToSeed(bad)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_MNEMONIC }))
  })
})

describe('SLIP-0010 ed25519', () => {
  for (const vector of slip10Vectors) {
    it.each(vector.chains)(`seed ${vector.seed.slice(0, 8)}… %s`, (path, chainCode, privateKey) => {
      const node = slip10Derive(unhex(vector.seed), path)
      expect(hex(node.chainCode)).toBe(chainCode)
      expect(hex(node.privateKey)).toBe(privateKey)
    })

    it(`master public key of seed ${vector.seed.slice(0, 8)}…`, () => {
      const master = slip10Master(unhex(vector.seed))
      expect(hex(keyPairFromSeed(master.privateKey).publicKey)).toBe(vector.masterPublic)
    })
  }

  it('refuses non-hardened and malformed paths by code', () => {
    const seed = unhex(slip10Vectors[0]!.seed)
    for (const path of ["m/0'/1", 'x/0\'', "m/a'", "m/2147483648'"]) {
      expect(() => slip10Derive(seed, path), path).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_DERIVATION_PATH }))
    }
  })
})

describe('Lume identity keys', () => {
  const mnemonic = bip39Vectors[0][0]

  it("derive at m/44'/1627'/0'/0'/0' and are stable", () => {
    expect(LUME_DERIVATION_PATH).toBe("m/44'/1627'/0'/0'/0'")
    const keys = keyPairFromMnemonic(mnemonic)
    const node = slip10Derive(mnemonicToSeed(mnemonic), LUME_DERIVATION_PATH)
    expect(hex(keys.secretKey.subarray(0, 32))).toBe(hex(node.privateKey))
    expect(hex(keys.secretKey.subarray(32))).toBe(hex(keys.publicKey))
    expect(hex(keyPairFromMnemonic(mnemonic).publicKey)).toBe(hex(keys.publicKey))
    expect(hex(keyPairFromMnemonic(mnemonic, { passphrase: 'x' }).publicKey)).not.toBe(hex(keys.publicKey))
  })

  it('derive distinct, deterministic child keys per purpose', () => {
    const parent = keyPairFromMnemonic(mnemonic)
    const a = deriveChildKeyPair(parent, 'microblog')
    const b = deriveChildKeyPair(parent, 'registry')
    expect(hex(a.publicKey)).not.toBe(hex(b.publicKey))
    expect(hex(a.publicKey)).not.toBe(hex(parent.publicKey))
    expect(hex(deriveChildKeyPair(parent, 'microblog').publicKey)).toBe(hex(a.publicKey))
    expect(() => deriveChildKeyPair(parent, '')).toThrow(LumeError)
  })

  it('rejects seeds of the wrong length with INVALID_ARGUMENT', () => {
    expect(() => keyPairFromSeed(new Uint8Array(31))).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }))
  })
})

describe('@lume/types constants this package can check', () => {
  it('LUME_TOPIC is SHA-256 of lume/relay-topic/v1 (written out in @lume/types, which has no hash)', () => {
    expect(toHex(LUME_TOPIC)).toBe(toHex(sha256(new TextEncoder().encode('lume/relay-topic/v1'))))
  })
})
