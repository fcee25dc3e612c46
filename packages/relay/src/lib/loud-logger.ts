import { silentLogger, type Logger } from '@lume/types'

const write = (level: string, bindings: Record<string, unknown>) => (a: unknown, b?: string): void => {
  const fields = typeof a === 'string' ? bindings : { ...bindings, ...(a as Record<string, unknown>) }
  const message = typeof a === 'string' ? a : b ?? ''
  const err = fields.err
  const detail = err instanceof Error ? `: ${err.message}` : ''
  const where = typeof fields.plugin === 'string' ? `[${fields.plugin}] ` : ''
  process.stderr.write(`lume-relay ${level}: ${where}${message}${detail}\n`)
}

/**
 * The relay's default logger: quiet, except errors and fatal errors go to
 * stderr (a plugin that fails to start must not fail silently).
 */
export function errorsToStderr (bindings: Record<string, unknown> = {}): Logger {
  return {
    ...silentLogger,
    error: write('error', bindings),
    fatal: write('fatal', bindings),
    child: (more) => errorsToStderr({ ...bindings, ...more })
  }
}
