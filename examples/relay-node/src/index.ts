export { startRelayNode, nodeLogger, type RelayNode } from './node.js'
export { nodeConfigSchema, type NodeConfig } from './config.js'
export { RelayMetrics, type Sample } from './metrics.js'
