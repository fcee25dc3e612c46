/**
 * @packageDocumentation
 * The microblog's blob store as a relay plugin loaded by name:
 * `plugins: ['@lume/example-microblog']` in a relay config, settings under
 * `plugin.blobs` (see {@link configSchema}).
 */
export { default, configSchema, pluginName } from './blob-relay-plugin.js'
