import type * as Sqlite from 'node:sqlite'

/**
 * Node's built-in SQLite (with FTS5), loaded without its "experimental"
 * warning on every server start. Null where the runtime lacks it.
 */
export function loadSqlite(): typeof Sqlite | null {
  const original = Object.getOwnPropertyDescriptor(process, 'emitWarning')
  Object.defineProperty(process, 'emitWarning', { value: () => undefined, configurable: true, writable: true })
  try {
    return process.getBuiltinModule('node:sqlite') ?? null
  } catch {
    return null
  } finally {
    if (original) Object.defineProperty(process, 'emitWarning', original)
  }
}

export type DatabaseSync = Sqlite.DatabaseSync
