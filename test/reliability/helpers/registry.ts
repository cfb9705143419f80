// What the server offers, read from its own registries: the REST operations
// of the OpenAPI document it builds from its route table, and the client
// events of src/shared/protocol.ts. Suites build their cases from these so a
// route or event added later is found, and fails until someone adds its row.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

export interface Operation {
  /** `GET /conversations/{id}`, as in the OpenAPI document. */
  key: string
  method: string
  path: string
  auth: boolean
  /** Every status the document lists for it. */
  statuses: Set<number>
  hasBody: boolean
  /** Names of its query parameters. */
  query: string[]
  /** Served from the root (its own `servers` entry, `/`), not under /api/v1. */
  root: boolean
}

interface OpenApiOp {
  responses: Record<string, unknown>
  security?: unknown[]
  requestBody?: unknown
  parameters?: { name: string; in: string }[]
  servers?: { url: string }[]
}

export async function operations(base: string): Promise<Operation[]> {
  const doc = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, OpenApiOp>> }
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      key: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      path,
      auth: (op.security?.length ?? 0) > 0,
      statuses: new Set(Object.keys(op.responses).map(Number)),
      hasBody: op.requestBody !== undefined,
      query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      root: op.servers?.[0]?.url === '/'
    }))
  )
}

const PROTOCOL = resolve(import.meta.dirname, '../../../src/shared/protocol.ts')

/** The event names of `ClientToServerEvents`, read from the contract's source. */
export function clientEvents(): string[] {
  const source = readFileSync(PROTOCOL, 'utf8')
  const body = /export interface ClientToServerEvents \{([\s\S]*?)\n\}/.exec(source)?.[1]
  if (!body) throw new Error(`no ClientToServerEvents interface in ${PROTOCOL}`)
  const names = [...body.matchAll(/^\s*'([^']+)':/gm)].map((m) => m[1] ?? '')
  if (names.length === 0) throw new Error('ClientToServerEvents lists no events')
  return names
}

/**
 * Fails naming every name the server has but the table lacks (add its row)
 * and every row the server no longer has (remove it).
 */
export function assertCovered(what: string, found: string[], table: Iterable<string>): void {
  const rows = new Set(table)
  const have = new Set(found)
  const missing = found.filter((name) => !rows.has(name))
  const stale = [...rows].filter((name) => !have.has(name))
  const problems = [
    ...missing.map((name) => `${what} "${name}" has no row in the table: add one`),
    ...stale.map((name) => `the table has a row for ${what} "${name}", which the server does not have`)
  ]
  if (problems.length > 0) throw new Error(problems.join('\n'))
}
