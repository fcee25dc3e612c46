import type { z } from 'zod'
import { elementOf, leafKind } from './schema-walk.js'

const TRUE = new Set(['true', '1', 'yes', 'on'])
const FALSE = new Set(['false', '0', 'no', 'off'])

/**
 * Turn text from the environment or a flag into a value of the type the
 * schema expects there. Text that does not fit is returned unchanged, so the
 * schema reports it with the key and where it came from.
 */
export function parseText (text: string, schema: z.ZodType | undefined): unknown {
  switch (leafKind(schema)) {
    case 'string': return text
    case 'number': return parseNumber(text)
    case 'boolean': return parseBoolean(text)
    case 'array': return parseArray(text, schema)
    case 'object': return parseJson(text)
    case 'unknown': return parseJson(text)
  }
}

function parseNumber (text: string): unknown {
  const trimmed = text.trim()
  if (trimmed === '') return text
  const n = Number(trimmed.replaceAll('_', ''))
  return Number.isNaN(n) ? text : n
}

function parseBoolean (text: string): unknown {
  const lower = text.trim().toLowerCase()
  if (TRUE.has(lower)) return true
  if (FALSE.has(lower)) return false
  return text
}

function parseArray (text: string, schema: z.ZodType | undefined): unknown {
  const trimmed = text.trim()
  if (trimmed.startsWith('[')) return parseJson(trimmed)
  if (trimmed === '') return []
  const element = elementOf(schema)
  return trimmed.split(',').map((part) => parseText(part.trim(), element))
}

function parseJson (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
