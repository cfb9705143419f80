// Conversions between record fields and columns.
//
// Times that records hold as ISO strings are timestamptz columns (sortable,
// checked, readable in psql); they come back through Date.toISOString(), so
// the strings the server writes (always toISOString(): UTC, milliseconds)
// round-trip exactly. Epoch-millisecond numbers are bigint columns.
//
// An optional field absent from a record is a NULL column and comes back
// absent, not as null or undefined; a field whose type allows null as well
// as absence (`avatar?: string | null`) also lists itself in the row's
// `null_fields` when it holds null, so the two stay apart.

/** ISO string from a timestamptz value (pg gives a Date). */
export function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString()
}

export function isoOrNull(value: Date | string | null): string | null {
  return value === null ? null : iso(value)
}

/** Copies `value` to `record[key]` unless it is NULL: an absent optional field. */
export function setPresent<T extends object, K extends keyof T>(record: T, key: K, value: T[K] | null): void {
  if (value !== null) record[key] = value
}

/** The keys of `patch` whose values are given (undefined means "leave as it is", as services use patches). */
export function givenKeys<T extends object>(patch: T): (keyof T & string)[] {
  return (Object.keys(patch) as (keyof T & string)[]).filter((key) => patch[key] !== undefined)
}
