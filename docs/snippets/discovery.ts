// snippet: discovery — from a public key to a signed address record (here from an invite link).
import { createInvite, openInvite, PeerDiscovery, StaticSource } from '@lume/peer-discovery'
import { generateKeyPair } from '@lume/crypto'

const relay = generateKeyPair()
const link = createInvite(relay, ['dht', 'ws://relay.example:8080']) // what a relay operator shares

const discovery = new PeerDiscovery()
discovery.register('invite', new StaticSource(openInvite(link).records)) // add DhtSource, IrcSource, … too
const { record, source } = await discovery.discover(relay.publicKey)
console.log(`${record.addresses.join(' ')} (from ${source}, signed by the relay)`)
