// snippet: keys — an identity from 24 words, a key per app, signatures bound to a purpose.
import { SigningContext, toHex } from '@lume/types'
import { deriveChildKeyPair, generateMnemonic, keyPairFromMnemonic, sign, verify } from '@lume/crypto'

const words = generateMnemonic() // write these down: they are your identity
const identity = keyPairFromMnemonic(words) // SLIP-0010 at m/44'/1627'/0'/0'/0'
const blogKey = deriveChildKeyPair(identity, 'microblog')

const message = new TextEncoder().encode('I wrote this')
const signature = sign(SigningContext.PEER_RECORD, message, blogKey.secretKey)
console.log(toHex(blogKey.publicKey).length, verify(SigningContext.PEER_RECORD, message, signature, blogKey.publicKey), verify(SigningContext.RPC_RESPONSE, message, signature, blogKey.publicKey))
