/** What the WebSocket gateway process tells the relay. */
export type GatewayMessage =
  | { type: 'listening', port: number }
  | { type: 'crash', message: string }
  /** A client's request failed and that client was dropped; the gateway goes on. */
  | { type: 'client-error', message: string }
