/**
 * @packageDocumentation
 * The cache as a relay plugin loaded by name: `plugins: ['@lume/dht-flood',
 * '@lume/dht-cache']` in a relay config, settings under `plugin.cache`
 * (see {@link configSchema}).
 */
export { default, configSchema, pluginName, type CachePluginConfig } from './lib/relay-plugin.js'
