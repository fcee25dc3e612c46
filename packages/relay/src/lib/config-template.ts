/**
 * The commented relay config `lume-relay init` writes: every section with its
 * default and what it means. It is valid as written (tests load it with the
 * relay's schema); plugins are listed but commented out, since each must be
 * installed beside the relay first.
 */
export const CONFIG_TEMPLATE = `# lume-relay configuration (written by \`lume-relay init\`).
# The relay reads every *.yaml|yml|json file in its directory, then LUME_*
# variables (LUME_DHT__PORT=..., two underscores between levels), then flags
# (--dht.port=...). A misspelt key is an error that names the closest valid one.
# Every key is documented in the @lume/relay README ("Configuration").

dht:
  # host:port of DHT bootstrap nodes. Empty = HyperDHT's public bootstrap nodes.
  # To try the relay on a private DHT on loopback instead: lume-relay start --testnet
  bootstrap: []
  # UDP port of the relay's DHT node; 0 = any free port. A port in use is an error.
  port: 0
  # Bind address (default: 127.0.0.1 when every bootstrap node is on loopback, else 0.0.0.0).
  # host: 0.0.0.0

# Announce the relay on the Lume topic so clients find it.
announce: true

# Plugins, by package name (install them beside the relay: npm i @lume/registry ...).
# The cache needs the flood; the registry spreads entries over it when it is loaded.
plugins: []
#  - '@lume/dht-flood'
#  - '@lume/dht-cache'
#  - '@lume/registry'
#  - '@lume/peer-discovery'
#  - '@lume/blobs'

# Plugins (as written above) the relay may run without: if one fails to load or
# start it is reported and left out. Any other failing plugin stops start-up.
optionalPlugins: []

# Each plugin's own section, checked against the schema the plugin exports.
plugin: {}
#  registry:
#    store: lmdb          # lmdb (in <relay dir>/plugins/registry/lmdb) | redis | memory
#    maxKeys: 1000000
#  cache:
#    maxEntries: 10000
#  flood:
#    ttl: 10
#  discovery:
#    addresses: [dht]
#    irc: []            # e.g. [{ host: irc.example.org, port: 6667 }]

# Operations over HTTP: Prometheus /metrics, /healthz, /readyz and a live status
# page at /. Loopback by default: put a reverse proxy with authentication in front
# before exposing it. Remove \`port\` to turn it off; 0 = any free port.
http:
  host: 127.0.0.1
  port: 9100
  maxConnections: 32      # connections open at once
  headersTimeoutMs: 5000  # a client slower than this with its request is cut off

# Lume over WebSocket, for browsers and other clients: set a port to turn it on.
websocket:
  host: 0.0.0.0
  # port: 8080
  maxConnections: 1024
  maxPerAddress: 16

# Per-peer budgets and rates override what the relay and plugins define, by kind:
# limits:
#   budgets:
#     relay.connections: { perAddress: 8, global: 1024 }
#   maxHeapFraction: 0.85

log:
  level: info             # trace | debug | info | warn | error | fatal | silent

# How long shutdown waits for requests in flight, ms.
shutdownGraceMs: 5000
`
