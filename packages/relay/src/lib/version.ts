/** The relay software version reported by `core.info`. */
export const RELAY_VERSION = '0.0.0'
