/** What the WebSocket gateway process tells the relay. */
export type GatewayMessage =
  | { type: 'listening', port: number }
  | { type: 'crash', message: string }
