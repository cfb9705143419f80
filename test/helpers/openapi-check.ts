// Checks a real response against the server's own OpenAPI document: the status
// must be documented for the operation and the body must match its schema.
import Ajv2020 from 'ajv/dist/2020'
import addFormats from 'ajv-formats'

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> }

interface Checker {
  check(method: string, path: string, status: number, body: unknown): void
  operations(): string[]
}

const checkers = new Map<string, Promise<Checker>>()

function templateRegex(template: string): RegExp {
  return new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$')
}

function build(doc: Doc): Checker {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addSchema(doc, 'openapi.json')
  const templates = Object.keys(doc.paths).map((t) => ({ t, re: templateRegex(t) }))
  const escape = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1')
  return {
    operations: () => Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)),
    check(method, path, status, body) {
      // Prefer literal paths over templated ones (like a router would).
      const match = templates.filter(({ re }) => re.test(path)).sort((a, b) => a.t.split('{').length - b.t.split('{').length)[0]
      const op = match && doc.paths[match.t]?.[method]
      if (!match || !op) {
        // Unknown route: must still answer with the documented error shape.
        const validate = ajv.getSchema('openapi.json#/components/schemas/ErrorResponse')
        if (!validate?.(body)) throw new Error(`${method} ${path} → ${status}: body is not an ErrorResponse`)
        return
      }
      const response = op.responses[String(status)]
      if (!response) throw new Error(`${method.toUpperCase()} ${match.t} answered ${status}, which the OpenAPI document does not list`)
      // A HEAD answer has a GET's headers and never a body.
      if (method === 'head') return
      if (!response.content) {
        if (body !== undefined) throw new Error(`${method} ${match.t} ${status} has a body the document does not describe`)
        return
      }
      // Bytes (file downloads): the document describes a media type, not a JSON shape.
      if (!response.content['application/json']) return
      const ref = `openapi.json#/paths/${escape(match.t)}/${method}/responses/${status}/content/application~1json/schema`
      const validate = ajv.getSchema(ref)
      if (!validate) throw new Error(`no schema at ${ref}`)
      if (!validate(body)) {
        throw new Error(`${method.toUpperCase()} ${match.t} ${status} does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}`)
      }
    }
  }
}

export function openApiChecker(base: string): Promise<Checker> {
  let checker = checkers.get(base)
  if (!checker) {
    checker = fetch(`${base}/api/v1/openapi.json`).then(async (res) => build((await res.json()) as Doc))
    checkers.set(base, checker)
  }
  return checker
}
