/**
 * @packageDocumentation
 * Blobs as a relay plugin loaded by name (Node only):
 * `plugins: ['@lume/dht-flood', '@lume/dht-cache', '@lume/blobs']` in a relay
 * config, settings under `plugin.blobs` (see {@link configSchema}).
 */
export { default, configSchema, pluginName, type BlobsRelayPluginConfig } from './relay/relay-plugin.js'
