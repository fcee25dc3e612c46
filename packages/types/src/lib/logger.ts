/** One log method: a message, or structured fields then a message (pino's shape). */
export interface LogFn {
  (message: string): void
  (fields: Record<string, unknown>, message?: string): void
}

/**
 * The logger every Lume component takes. pino loggers satisfy it as they are;
 * `child` adds fields (such as the plugin name) to every line.
 */
export interface Logger {
  trace: LogFn
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
  fatal: LogFn
  child (bindings: Record<string, unknown>): Logger
}

const noop = (): void => {}

/** A logger that drops everything: the default for libraries used without one. */
export const silentLogger: Logger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  fatal: noop,
  child: () => silentLogger
}
