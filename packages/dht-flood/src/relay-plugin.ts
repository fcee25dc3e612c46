/**
 * @packageDocumentation
 * The flood as a relay plugin loaded by name: `plugins: ['@lume/dht-flood']`
 * in a relay config, settings under `plugin.flood` (see {@link configSchema}).
 */
export { default, configSchema, pluginName, type FloodPluginConfig, type FloodStatsAnswer } from './lib/relay-plugin.js'
