/**
 * @packageDocumentation
 * The registry as a relay plugin loaded by name (Node only):
 * `plugins: ['@lume/dht-flood', '@lume/registry']` in a relay config,
 * settings under `plugin.registry` (see {@link configSchema}).
 */
export { default, configSchema, pluginName, type RegistryRelayPluginConfig } from './lib/relay-plugin.js'
