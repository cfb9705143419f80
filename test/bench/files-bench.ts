// npm run bench:files — on loopback, in one run: a large upload and download
// through the product (the messenger server: auth, membership, resumable
// upload with SHA-256, Range download) against a raw Node baseline
// (req.pipe(fs.createWriteStream) and a read stream piped to the response),
// each server in its own fresh process; their RSS; the same at a smaller size
// in fresh processes, to see whether memory grows with the file; and how many
// bytes a resume re-sends after a cut at 50%. Updates the "Files" section of
// docs/benchmarks.md. FILES_BENCH_MB sets the size (default 1024 MiB),
// FILES_BENCH_SMALL_MB the smaller one (default 256), FILES_BENCH_ROUNDS the
// rounds (default 5; the best and the median of each are reported).
import { mkdtemp, open, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { api, envNumber, log, machine } from './util'
import { updateSection } from './search-report'
import { filesReport, HEADING, type ModeFigures } from './files-report'
import { curlGet, curlPut, measured, put, rssOf, startChild, type Child } from './files-transfer'
import { randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'

const MiB = 1024 * 1024
const SIZE = envNumber('FILES_BENCH_MB', 1024) * MiB
const SMALL = Math.min(SIZE, envNumber('FILES_BENCH_SMALL_MB', 256) * MiB)
const ROUNDS = envNumber('FILES_BENCH_ROUNDS', 5)

interface ProductUser {
  auth: Record<string, string>
  token: string
  group: string
  base: string
}

async function productUser(port: number): Promise<ProductUser> {
  const base = `http://127.0.0.1:${port}`
  const user = await api<{ accessToken: string }>(base, 'POST', '/auth/register', { username: 'bench_files', password: 'bench-password' })
  const group = (await api<{ conversation: { id: string } }>(base, 'POST', '/conversations', { kind: 'group', title: 'Files', memberIds: [] }, user.accessToken)).conversation.id
  return { auth: { authorization: `Bearer ${user.accessToken}` }, token: user.accessToken, group, base }
}

const UPLOAD_HEADERS = { 'content-type': 'application/offset+octet-stream' }

/**
 * Each transfer starts with the disk caught up: without this, the dirty pages
 * of the last transfer, and the discards of the last deleted file (this ext4
 * is mounted with online discard), are done during the next one and bill it:
 * the product's first fdatasync waits for them.
 */
function settle(): void {
  execFileSync('sync')
}

/**
 * Every upload also starts with the memory in one state. This VM reports
 * free memory to its host (virtio-balloon free page reporting; the kernel is
 * booted with page_reporting_order=11): about 2 s after a gigabyte's pages
 * are freed, the host takes them back, and the next writes into the page
 * cache fault them in again, at a cost the guest sees as system time. An
 * upload that came within that window of the last deletion ran up to 2x
 * faster than one that came after it, which made the order of the servers
 * decide the figures (the product right after its own transfer: 1.2-1.4 s;
 * after the raw servers' 8 s: 1.9-2.7 s, with twice the system time). So
 * each upload waits out the window, and every server pays the same.
 */
const REPORTED_MS = 4000

async function settleMemory(): Promise<void> {
  settle()
  await new Promise((resolve) => setTimeout(resolve, REPORTED_MS))
}

/** One upload to a server, ready to send: how to send it, then where to download it, with what headers, and how to delete it. */
interface Upload {
  send: () => Promise<void>
  path: string
  headers: Record<string, string>
  remove: () => Promise<void>
}

/** Prepares an upload; for the product that creates it (POST /files), outside what is measured. */
async function prepare(child: Child, user: ProductUser | null, source: string, size: number): Promise<Upload> {
  if (!user) {
    return {
      send: async () => void (await curlPut(child.port, 'PUT', '/upload', source, {})),
      path: '/download',
      headers: {},
      remove: async () => void (await fetch(`http://127.0.0.1:${child.port}/upload`, { method: 'DELETE' }))
    }
  }
  const created = await api<{ upload: { id: string } }>(user.base, 'POST', '/files', { conversationId: user.group, name: 'big.bin', size }, user.token)
  const id = created.upload.id
  return {
    send: async () => {
      const res = await curlPut(child.port, 'PATCH', `/api/v1/uploads/${id}`, source, { ...user.auth, ...UPLOAD_HEADERS, 'upload-offset': '0' })
      if (res.status !== 200 || !(JSON.parse(res.body) as { upload: { complete: boolean } }).upload.complete) throw new Error(`upload failed: ${res.status} ${res.body}`)
    },
    path: `/api/v1/files/${id}`,
    headers: user.auth,
    // Deleted through the product's own API (a file no message carries), as the raw servers delete theirs before the next upload.
    remove: async () => {
      const gone = await fetch(`${user.base}/api/v1/uploads/${id}`, { method: 'DELETE', headers: user.auth })
      if (gone.status !== 204) throw new Error(`delete failed: ${gone.status}`)
    }
  }
}

/** One upload and one download through a server; both measured. */
async function transfer(child: Child, user: ProductUser | null, source: string, size: number) {
  await settleMemory()
  const upload = await prepare(child, user, source, size)
  const up = await measured(child.pid, upload.send)
  settle()
  const down = await measured(child.pid, () => curlGet(child.port, upload.path, upload.headers, size))
  await upload.remove()
  return { up, down }
}

function emptyFigures(): ModeFigures {
  return { up: Infinity, down: Infinity, ups: [], downs: [], cpuUp: Infinity, cpuDown: Infinity, idle: 0, peak: 0 }
}

/** A cut at 50%, then a resume from the server's offset; returns the bytes the server kept and those re-sent. */
async function cutAndResume(child: Child, user: ProductUser, source: string): Promise<{ kept: number; resent: number }> {
  const id = (await api<{ upload: { id: string } }>(user.base, 'POST', '/files', { conversationId: user.group, name: 'cut.bin', size: SIZE }, user.token)).upload.id
  const headers = { ...user.auth, ...UPLOAD_HEADERS }
  await put(child.port, 'PATCH', `/api/v1/uploads/${id}`, source, { ...headers, 'upload-offset': '0' }, SIZE, 0, SIZE / 2)
  let offset: number
  for (;;) {
    // The server has let go of the cut request once an empty continuation at its offset is accepted.
    const state = await api<{ upload: { offset: number } }>(user.base, 'GET', `/uploads/${id}`, undefined, user.token)
    const probe = await fetch(`${user.base}/api/v1/uploads/${id}`, { method: 'PATCH', headers: { ...headers, 'upload-offset': String(state.upload.offset), 'content-length': '0' } })
    const answer = (await probe.json()) as { upload?: { offset: number } }
    if (probe.ok && answer.upload) {
      offset = answer.upload.offset
      break
    }
    await new Promise((r) => setTimeout(r, 20))
  }
  const rest = await put(child.port, 'PATCH', `/api/v1/uploads/${id}`, source, { ...headers, 'upload-offset': String(offset) }, SIZE, offset)
  if (rest.status !== 200) throw new Error(`resume failed: ${rest.status} ${rest.body}`)
  return { kept: offset, resent: SIZE / 2 - offset }
}

/** A file of random bytes to send (curl sends whole files, so one per size). */
async function makeSource(dir: string, size: number): Promise<string> {
  const path = join(dir, `source-${size}.bin`)
  const block = randomBytes(16 * MiB)
  const handle = await open(path, 'w')
  for (let written = 0; written < size; written += block.length) await handle.write(block, 0, Math.min(block.length, size - written))
  await handle.close()
  return path
}

async function stop(children: Child[]): Promise<void> {
  for (const c of children) c.proc.kill('SIGTERM')
  await Promise.all(children.map((c) => new Promise((r) => (c.proc.exitCode !== null ? r(null) : c.proc.once('exit', r)))))
  children.length = 0
}

/** Idle and peak RSS of fresh `raw` and `product` processes over one transfer of `size` bytes. */
async function memoryAt(dir: string, source: string, size: number, children: Child[]) {
  const raw = await startChild('raw', join(dir, `raw-${size}`))
  const product = await startChild('product', join(dir, `product-${size}`))
  children.push(raw, product)
  const user = await productUser(product.port)
  const idle = { raw: rssOf(raw.pid), product: rssOf(product.pid) }
  const r = await transfer(raw, null, source, size)
  const p = await transfer(product, user, source, size)
  await stop(children)
  return { idle, peak: { raw: Math.max(r.up.peak, r.down.peak), product: Math.max(p.up.peak, p.down.peak) } }
}

async function main(): Promise<void> {
  const m = machine()
  const loadBefore = loadavg()
  const dir = await mkdtemp(join(tmpdir(), 'files-bench-'))
  const children: Child[] = []
  try {
    log(`files bench: ${SIZE / MiB} MiB (and ${SMALL / MiB} MiB), ${ROUNDS} rounds, in ${dir}`)
    const source = await makeSource(dir, SIZE)
    // Both sizes the same way (fresh processes, one transfer each), so the growth compares like with like.
    const small = await memoryAt(dir, SMALL === SIZE ? source : await makeSource(dir, SMALL), SMALL, children)
    const large = await memoryAt(dir, source, SIZE, children)
    for (const [bytes, m] of [[SMALL, small], [SIZE, large]] as const) {
      log(`${bytes / MiB} MiB in fresh processes: raw idle ${(m.idle.raw / MiB) | 0} peak ${(m.peak.raw / MiB) | 0} MiB, product idle ${(m.idle.product / MiB) | 0} peak ${(m.peak.product / MiB) | 0} MiB`)
    }

    const modes = ['bare', 'raw', 'product'] as const
    const started = {} as Record<(typeof modes)[number], Child>
    for (const mode of modes) children.push((started[mode] = await startChild(mode, join(dir, mode))))
    const user = await productUser(started.product.port)
    const figures = { bare: emptyFigures(), raw: emptyFigures(), product: emptyFigures() }
    for (const mode of modes) figures[mode].idle = rssOf(started[mode].pid)
    for (let round = 0; round < ROUNDS; round++) {
      const line: string[] = []
      // The order turns each round, so no server always follows the same one.
      for (const mode of round % 2 === 0 ? modes : [...modes].reverse()) {
        const { up, down } = await transfer(started[mode], mode === 'product' ? user : null, source, SIZE)
        const f = figures[mode]
        f.up = Math.min(f.up, up.seconds)
        f.down = Math.min(f.down, down.seconds)
        f.ups.push(up.seconds)
        f.downs.push(down.seconds)
        f.cpuUp = Math.min(f.cpuUp, up.cpu)
        f.cpuDown = Math.min(f.cpuDown, down.cpu)
        f.peak = Math.max(f.peak, up.peak, down.peak)
        line.push(`${mode} up ${up.seconds.toFixed(2)} s (cpu ${up.cpu.toFixed(2)}) down ${down.seconds.toFixed(2)} s (cpu ${down.cpu.toFixed(2)})`)
      }
      log(`round ${round + 1}: ${line.join('; ')}`)
    }
    const resume = await cutAndResume(started.product, user, source)
    const body = filesReport({ machine: m, loadBefore, loadAfter: loadavg(), size: SIZE, smallSize: SMALL, rounds: ROUNDS, figures, small, large, resume })
    updateSection(HEADING, body)
    log(body)
  } finally {
    await stop(children)
    await rm(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
