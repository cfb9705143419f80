// The files benchmark's client side: start a server process, send and fetch
// bytes, and watch the server's RSS and CPU from /proc. The measured
// transfers use curl, a client whose own costs are small and the same for
// every server: a Node client receiving at a gigabyte a second spends much of
// it in its own garbage collection (counted: 10–30 full collections a
// second), which shows in the figures as the server's slowness. Only the cut
// upload, which must stop at an exact byte, is sent with node:http.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { resolve } from 'node:path'
import { sendFile } from '../../src/node/send-file'
import type { ServerMode } from './files-servers'

const ROOT = resolve(import.meta.dirname, '../..')

export interface Child {
  proc: ChildProcess
  pid: number
  port: number
}

export async function startChild(mode: ServerMode, dataDir: string): Promise<Child> {
  // FILES_BENCH_PROFILE=<dir>: a CPU profile of each product server, for finding where an upload's time goes.
  const profile = mode === 'product' && process.env.FILES_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.FILES_BENCH_PROFILE] : []
  const proc = spawn(process.execPath, [...profile, '--import', 'tsx', 'test/bench/files-servers.ts', mode, dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<number>((ok, fail) => {
    proc.stdout.once('data', (chunk: Buffer) => ok((JSON.parse(chunk.toString()) as { port: number }).port))
    proc.once('exit', (code) => fail(new Error(`${mode} server exited with ${code}`)))
  })
  return { proc, pid: proc.pid!, port }
}

export function rssOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) * 1024 : NaN
}

/** CPU seconds (user + system, all threads) a process has used so far. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

export interface Measured {
  seconds: number
  /** Highest RSS sampled (every 20 ms) during the transfer. */
  peak: number
  /** The server's CPU seconds over the transfer. */
  cpu: number
}

export async function measured(pid: number, run: () => Promise<void>): Promise<Measured> {
  const cpu = cpuOf(pid)
  let peak = rssOf(pid)
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 20)
  const start = process.hrtime.bigint()
  try {
    await run()
  } finally {
    clearInterval(timer)
  }
  peak = Math.max(peak, rssOf(pid))
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, peak, cpu: cpuOf(pid) - cpu }
}

/** Sends bytes [offset, size) of the file as one request (up to cutAt, then breaks it); resolves with the answer. */
export function put(port: number, method: string, path: string, file: string, headers: Record<string, string>, size: number, offset = 0, cutAt?: number): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { ...headers, 'content-length': String(size - offset) } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', (err) => (cutAt === undefined ? fail(err) : ok({ status: 0, body: '' })))
    // From reused buffers, as the product's downloads: the sender's own garbage collection stays out of the figures.
    void sendFile(req, file, offset, cutAt ?? size).then(
      () => (cutAt === undefined ? req.end() : req.destroy()),
      (err: Error) => req.destroy(err)
    )
  })
}

/** curl's answer to a request: the status, the bytes received and (for an upload) the body. */
function curl(out: string, args: string[]): Promise<{ status: number; size: number; body: string }> {
  return new Promise((ok, fail) => {
    // -w prints the status and size after the body, on a line of their own.
    execFile('curl', ['-sS', '-o', out, '-w', '\n%{http_code} %{size_download}', ...args], { maxBuffer: 1 << 20, encoding: 'buffer' }, (err, stdout) => {
      if (err) return fail(new Error(`curl ${args.at(-1)}: ${err.message}`))
      const text = stdout.toString('latin1')
      const cut = text.lastIndexOf('\n')
      const [status, size] = text.slice(cut + 1).split(' ').map(Number) as [number, number]
      ok({ status, size, body: text.slice(0, cut) })
    })
  })
}

function headerArgs(headers: Record<string, string>): string[] {
  return Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`])
}

/** Uploads a whole file with curl (streamed from disk, no Expect: 100-continue round trip). */
export function curlPut(port: number, method: string, path: string, file: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return curl('-', ['-X', method, '-T', file, '-H', 'Expect:', ...headerArgs(headers), `http://127.0.0.1:${port}${path}`])
}

/** Downloads with curl, discarding the bytes; fails unless all `size` came. */
export async function curlGet(port: number, path: string, headers: Record<string, string>, size: number): Promise<void> {
  // Written to /dev/null by curl itself, not piped through this process.
  const res = await curl('/dev/null', [...headerArgs(headers), `http://127.0.0.1:${port}${path}`])
  if (res.status !== 200 || res.size !== size) throw new Error(`GET ${path} -> ${res.status}, ${res.size} of ${size} bytes`)
}
