/**
 * @packageDocumentation
 * Discovery as a relay plugin loaded by name (Node only):
 * `plugins: ['@lume/peer-discovery']` in a relay config, settings under
 * `plugin.discovery` (see {@link configSchema}).
 */
export { default, configSchema, pluginName, type DiscoveryPluginConfig } from './node/relay-plugin.js'
