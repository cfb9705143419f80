import { readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'

export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got ${raw}`)
  return value
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export function log(line: string): void {
  process.stdout.write(`${line}\n`)
}

/** The q-quantile (0..1) of unsorted samples; NaN when there are none. */
export function quantile(samples: ArrayLike<number>, q: number): number {
  if (samples.length === 0) return NaN
  const sorted = Float64Array.from(samples).sort()
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

export function mean(samples: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < samples.length; i++) sum += samples[i]!
  return samples.length === 0 ? NaN : sum / samples.length
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Runs `fn` over items with at most `limit` at a time, keeping order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!, i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return 'n/a'
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

export interface Machine {
  cpu: string
  cores: number
  ramGiB: number
  node: string
  date: string
}

export function machine(): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown'
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))
    if (match?.[1]) cpu = match[1].trim()
  } catch {
    // not Linux: keep os.cpus()' model
  }
  return {
    cpu,
    cores: cpus().length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC'
  }
}

export function describeMachine(m: Machine): string {
  return `${m.date} on ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, Node ${m.node}, ${process.platform}`
}

/** JSON over fetch, throwing on an unexpected status. */
export async function api<T>(base: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (token) headers['authorization'] = `Bearer ${token}`
  const res = await fetch(`${base}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`)
  return (text === '' ? undefined : JSON.parse(text)) as T
}

export interface BenchUser {
  id: string
  accessToken: string
}

/** Registers `count` users (bench_<prefix><i>) and returns their ids and access tokens. */
export function registerUsers(base: string, prefix: string, count: number): Promise<BenchUser[]> {
  const indexes = Array.from({ length: count }, (_, i) => i)
  return mapLimit(indexes, 4, async (i) => {
    const res = await api<{ user: { id: string }; accessToken: string }>(base, 'POST', '/auth/register', {
      username: `bench_${prefix}${i}`,
      password: 'bench-password'
    })
    return { id: res.user.id, accessToken: res.accessToken }
  })
}

/** Creates a group of `members` (the first one creates it) and returns its id. */
export async function createGroup(base: string, members: BenchUser[], title: string): Promise<string> {
  const [creator] = members
  if (!creator) throw new Error('a group needs members')
  const res = await api<{ conversation: { id: string } }>(
    base,
    'POST',
    '/conversations',
    { kind: 'group', title, memberIds: members.map((m) => m.id) },
    creator.accessToken
  )
  return res.conversation.id
}

/** Cumulative busy and total CPU time of the whole machine (Linux /proc/stat), or null elsewhere. */
export function machineCpuTimes(): { busy: number; total: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number)
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields
    const busy = user + nice + system + irq + softirq + steal
    return { busy, total: busy + idle + iowait }
  } catch {
    return null
  }
}

/** Busy cores of the whole machine between two machineCpuTimes() samples; NaN if either is unknown. */
export function machineCores(before: ReturnType<typeof machineCpuTimes>, after: ReturnType<typeof machineCpuTimes>): number {
  return after && before ? ((after.busy - before.busy) / (after.total - before.total)) * cpus().length : NaN
}

/** A process's CPU (user + system, all threads), µs. */
export const cpuUs = (c: NodeJS.CpuUsage): number => c.user + c.system
