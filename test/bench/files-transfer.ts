// The files benchmark's client side: start a server process, send and fetch
// bytes with plain node:http, and watch the server's RSS and CPU from /proc.
import { spawn, type ChildProcess } from 'node:child_process'
import { createReadStream, readFileSync } from 'node:fs'
import { request } from 'node:http'
import { resolve } from 'node:path'
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
    const source = createReadStream(file, { start: offset, end: (cutAt ?? size) - 1, highWaterMark: 1 << 20 })
    if (cutAt === undefined) source.pipe(req)
    else {
      source.pipe(req, { end: false })
      source.on('end', () => req.destroy())
    }
  })
}

/** Downloads and discards; fails unless all `size` bytes came. */
export function get(port: number, path: string, headers: Record<string, string>, size: number): Promise<void> {
  return new Promise((ok, fail) => {
    request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let n = 0
      res.on('data', (c: Buffer) => (n += c.length))
      res.on('end', () => (res.statusCode === 200 && n === size ? ok() : fail(new Error(`GET ${path} -> ${res.statusCode}, ${n} of ${size} bytes`))))
    })
      .on('error', fail)
      .end()
  })
}
