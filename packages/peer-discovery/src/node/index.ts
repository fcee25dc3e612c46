/**
 * @packageDocumentation
 * Node-only discovery sources: IRC (TCP, or WebSocket for servers such as
 * inspircd) for clients and the relay-side answerer.
 */
export { IrcSource, IrcAnswerer, type IrcOptions } from './irc.js'
export { discoveryPlugin, type DiscoveryPluginOptions } from './plugin.js'
