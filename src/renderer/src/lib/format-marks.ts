// Markdown markers put around the composer's selection (Ctrl+B and the
// toolbar), or taken off when they are already there. Pure: the composer
// applies the new value and selection.

export type FormatKind = 'bold' | 'italic' | 'strike' | 'code' | 'codeBlock'

const MARKS: Record<FormatKind, readonly [string, string]> = {
  bold: ['**', '**'],
  italic: ['_', '_'],
  strike: ['~~', '~~'],
  code: ['`', '`'],
  codeBlock: ['```\n', '\n```']
}

export interface Edit {
  value: string
  start: number
  end: number
}

/** Whether the selection sits between this kind's markers. */
export function isFormatted(value: string, start: number, end: number, kind: FormatKind): boolean {
  const [open, close] = MARKS[kind]
  if (!value.slice(0, start).endsWith(open) || !value.slice(end).startsWith(close)) return false
  // "**x**" is bold, not italic between stars: the marker must not be part of a longer one.
  if (kind === 'italic' || kind === 'code') return value.charAt(start - open.length - 1) !== open && value.charAt(end + close.length) !== close
  return true
}

/**
 * Wraps the selection in the kind's markers (with nothing selected, the caret
 * ends between them), or unwraps it when it is already wrapped. A code block
 * starts and ends on lines of its own.
 */
export function toggleFormat(value: string, start: number, end: number, kind: FormatKind): Edit {
  const [open, close] = MARKS[kind]
  if (isFormatted(value, start, end, kind)) {
    return { value: value.slice(0, start - open.length) + value.slice(start, end) + value.slice(end + close.length), start: start - open.length, end: end - open.length }
  }
  const before = kind === 'codeBlock' && start > 0 && value.charAt(start - 1) !== '\n' ? '\n' : ''
  const after = kind === 'codeBlock' && end < value.length && value.charAt(end) !== '\n' ? '\n' : ''
  const head = value.slice(0, start) + before + open
  return { value: head + value.slice(start, end) + close + after + value.slice(end), start: head.length, end: head.length + (end - start) }
}

/** The kind a shortcut asks for: Ctrl/Cmd+B, +I, +E, +Shift+C (null for any other key). */
export function shortcutKind(e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }): FormatKind | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null
  const key = e.key.toLowerCase()
  if (e.shiftKey) return key === 'c' ? 'codeBlock' : key === 'x' ? 'strike' : null
  return key === 'b' ? 'bold' : key === 'i' ? 'italic' : key === 'e' ? 'code' : null
}
