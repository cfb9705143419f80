// Calls into main through window.messenger; an error Result becomes a
// UiError whose text is written for a person, not a developer, in the
// window's language (the server's own messages stay English).
import type { ErrorBody, ErrorCode } from '../../../shared/errors'
import { currentLanguage, i18n } from '../i18n'
import type { Texts } from '../i18n/resources'

/** Codes with words of their own (errors.json); any other shows the server's message. */
type Worded = keyof Texts['errors']['code']

function worded(code: ErrorCode): code is Worded {
  return Object.hasOwn(i18n.t('errors.code', { returnObjects: true }), code)
}

export class UiError extends Error {
  constructor(readonly body: ErrorBody) {
    super(words(body))
  }
  get code(): ErrorCode {
    return this.body.code
  }
}

/** Words for an error; validation messages from the contract already name the field. */
export function words(error: ErrorBody): string {
  if (error.code === 'validation_failed') return tidyValidation(error.message)
  return worded(error.code) ? i18n.t(`errors.code.${error.code}`) : error.message
}

function tidyValidation(message: string): string {
  // "session.register: password: Too small: expected string to have >=8 characters" → "Password: too short (at least 8 characters)."
  const rest = message.replace(/^[a-z]+\.[A-Za-z]+: /, '')
  const min = /^(\w+): Too small: expected string to have >=(\d+) characters/.exec(rest)
  if (min) return i18n.t('errors.tooShort', { field: fieldName(min[1]!), min: Number(min[2]) })
  const max = /^(\w+): Too big: expected string to have <=(\d+) characters/.exec(rest)
  if (max) return i18n.t('errors.tooLong', { field: fieldName(max[1]!), max: Number(max[2]) })
  return capital(rest)
}

/** A field of a form as the window names it ("displayName" → "Display name"), or the contract's name. */
function fieldName(field: string): string {
  const names: Record<string, string> = i18n.t('errors.field', { returnObjects: true })
  return names[field] ?? capital(field)
}

function capital(s: string): string {
  return s.charAt(0).toLocaleUpperCase(currentLanguage()) + s.slice(1)
}

type Res<T> = Promise<{ ok: true; data: T } | { ok: false; error: ErrorBody }>

/** Unwraps a Result: the data, or a UiError. */
export async function unwrap<T>(result: Res<T>): Promise<T> {
  const r = await result
  if (!r.ok) throw new UiError(r.error)
  return r.data
}

export const api = (): Window['messenger'] => window.messenger
