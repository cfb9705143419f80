// Reads the Prometheus text exposition format (version 0.0.4) as a scraper
// would, strictly: a line that is not a comment, a blank or a sample fails the
// parse, so a malformed exposition cannot pass a test.

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

export interface Scrape {
  samples: Sample[]
  /** `# TYPE` of each metric family. */
  types: Map<string, string>
  /** The sum of the samples of `name` whose labels include `labels`; 0 when none. */
  sum(name: string, labels?: Record<string, string>): number
  /** Whether any sample of `name` exists. */
  has(name: string): boolean
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {}
  LABEL.lastIndex = 0
  let match: RegExpExecArray | null
  while (LABEL.lastIndex < text.length && (match = LABEL.exec(text))) {
    labels[match[1]!] = match[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\')
  }
  if (LABEL.lastIndex !== text.length) throw new Error(`bad labels in: ${line}`)
  return labels
}

/** As Prometheus reads values (Go's ParseFloat): Inf and NaN in any case; prom-client writes NaN as "Nan". */
function parseValue(text: string, line: string): number {
  if (/^\+?inf$/i.test(text)) return Infinity
  if (/^-inf$/i.test(text)) return -Infinity
  if (/^nan$/i.test(text)) return NaN
  const value = Number(text)
  if (Number.isNaN(value)) throw new Error(`bad value in: ${line}`)
  return value
}

export function parsePrometheus(text: string): Scrape {
  const samples: Sample[] = []
  const types = new Map<string, string>()
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    if (line.startsWith('#')) {
      const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line)
      if (type) types.set(type[1]!, type[2]!)
      else if (!line.startsWith('# HELP ')) throw new Error(`bad comment: ${line}`)
      continue
    }
    const match = SAMPLE.exec(line)
    if (!match) throw new Error(`bad sample: ${line}`)
    samples.push({ name: match[1]!, labels: match[2] ? parseLabels(match[2], line) : {}, value: parseValue(match[3]!, line) })
  }
  const matching = (name: string, labels: Record<string, string> = {}): Sample[] =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
  return {
    samples,
    types,
    sum: (name, labels) => matching(name, labels).reduce((total, s) => total + s.value, 0),
    has: (name) => samples.some((s) => s.name === name)
  }
}
