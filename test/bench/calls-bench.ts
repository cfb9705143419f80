// npm run bench:calls — calls in the browser host on this machine: a real
// server (a child process on loopback), and for each person a child process
// holding their client core and Node host, and a Chromium of their own with
// a fake camera and microphone. Measures (1) the time from a click on Accept
// to the first audio (and, in a video call, camera) frame received on the
// answering side; (2) the CPU of a 1:1 video call per side, against the same
// two windows with no call; (3) how the CPU of a group video call grows from
// 2 to 6 people, and what each receives meanwhile. Results update the
// "Calls" section of docs/benchmarks.md. Bounded in time; every process it
// starts is stopped at the end, pass or fail.
//
//   BENCH_CALLS_FIRST (7)          calls of each kind (voice, video) timed from Accept to the first frame
//   BENCH_CALLS_POLL_MS (5)        pause between getStats() polls while waiting for the first frame
//   BENCH_CALLS_SETTLE (10)        seconds a call runs before its CPU is measured
//   BENCH_CALLS_WINDOW (20)        seconds of the 1:1 window (and of the baseline with no call)
//   BENCH_CALLS_GROUP_MAX (6)      largest group call; BENCH_CALLS_GROUP_WINDOW (15) seconds measured at each size
//   BENCH_CALLS_DEADLINE (1500)    seconds after which the run gives up and stops everything
//   BENCH_CALLS_RENDERER           the built renderer (default out/renderer: run `npm run build:app` first)
//   BENCH_CALLS_NO_DOC=1           print only
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { CALL_PARTICIPANTS_MAX } from '../../src/shared/schemas/calls'
import { sampleTrees } from './calls-cpu'
import { accept, arm, firstMedia, leave, openConversation, ringCard, startCall, startPerson, stopAll, takeNotice, waitConnected, type Person, type Started } from './calls-people'
import { CALLS_HEADING, renderCalls, type CallsResult, type FirstSample, type GroupRow } from './calls-report'
import { measureWindow } from './calls-window'
import { Child } from './rpc'
import { updateSection } from './search-report'
import { envNumber, log, machine, sleep } from './util'

const config = {
  first: Math.max(1, envNumber('BENCH_CALLS_FIRST', 7)),
  pollMs: envNumber('BENCH_CALLS_POLL_MS', 5),
  settle: envNumber('BENCH_CALLS_SETTLE', 10),
  window: Math.max(1, envNumber('BENCH_CALLS_WINDOW', 20)),
  groupMax: Math.min(CALL_PARTICIPANTS_MAX, Math.max(2, envNumber('BENCH_CALLS_GROUP_MAX', 6))),
  groupWindow: Math.max(1, envNumber('BENCH_CALLS_GROUP_WINDOW', 15)),
  deadline: envNumber('BENCH_CALLS_DEADLINE', 1500),
  rendererDir: process.env['BENCH_CALLS_RENDERER'] || join(import.meta.dirname, '../../out/renderer')
}
export type CallsConfig = typeof config

const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi']
/** Long enough that everyone in a group call can be let in one after another from the ring card. */
const RING_MS = 180_000
const groupTitle = (size: number): string => `Call of ${size}`

/** One call, caller to callee: Accept clicked, the first frames awaited on both sides, hung up. */
async function timedCall(caller: Person, callee: Person, media: 'audio' | 'video', notices: string[]): Promise<FirstSample> {
  const video = media === 'video'
  await startCall(caller, media)
  await ringCard(callee).waitFor()
  await Promise.all([arm(callee, video, config.pollMs), arm(caller, video, config.pollMs)])
  await accept(callee, video)
  const [answering, calling] = await Promise.all([firstMedia(callee), firstMedia(caller)])
  await leave(caller)
  await callee.page.getByTestId('call-view').waitFor({ state: 'hidden' })
  for (const p of [caller, callee]) {
    const notice = await takeNotice(p)
    if (notice) notices.push(`${p.name} after a ${media} call: ${notice}`)
  }
  const click = answering.clickAt
  const since = (t: number | null): number => (t === null || click === null ? NaN : t - click)
  // The caller's page has its own clock: both are placed on the epoch through performance.timeOrigin.
  const sinceOnCaller = (t: number | null): number => (t === null || click === null ? NaN : calling.origin + t - (answering.origin + click))
  return {
    media,
    caller: caller.name,
    audioPacketMs: since(answering.audioPacket),
    audioDecodedMs: since(answering.audioDecoded),
    videoPacketMs: video ? since(answering.videoPacket) : NaN,
    videoDecodedMs: video ? since(answering.videoDecoded) : NaN,
    callerAudioMs: sinceOnCaller(calling.audioDecoded),
    callerVideoMs: video ? sinceOnCaller(calling.videoDecoded) : NaN,
    pollPeriodMs: answering.polls > 0 ? answering.pollSpentMs / answering.polls + config.pollMs : NaN,
    timedOut: answering.timedOut || calling.timedOut
  }
}

/** A group video call of the first `size` people: the first starts it, the others accept one after another. */
async function groupCall(people: Person[], size: number, serverPid: number): Promise<GroupRow> {
  const inCall = people.slice(0, size)
  const [first, ...others] = inCall
  await openConversation(first!, groupTitle(size))
  const t0 = performance.now()
  await startCall(first!, 'video')
  for (const [i, p] of others.entries()) {
    await accept(p, true)
    await waitConnected(p, i + 2)
  }
  for (const p of inCall) await waitConnected(p, size)
  const joinSeconds = (performance.now() - t0) / 1000
  log(`  ${size} people connected in ${joinSeconds.toFixed(1)} s; settling ${config.settle} s`)
  await sleep(config.settle * 1000)
  const window = await measureWindow(inCall, serverPid, config.groupWindow)
  for (const p of [...inCall].reverse()) await leave(p)
  return { size, joinSeconds, window }
}

async function run(started: Started, dataDir: string): Promise<CallsResult> {
  const t0 = performance.now()
  const loadBefore = loadavg()
  const server = new Child(join(import.meta.dirname, 'calls-server.ts'), 'server')
  started.hosts.push(server)
  const { port, pid: serverPid } = await server.call<{ port: number; pid: number }>('start', { dataDir, ringMs: RING_MS })
  const serverUrl = `http://127.0.0.1:${port}`

  log(`starting ${config.groupMax} people (a Node host and a Chromium each)`)
  const people: Person[] = []
  for (const name of NAMES.slice(0, config.groupMax)) people.push(await startPerson(name, serverUrl, config.rendererDir, started))
  log(`  ${sampleTrees([process.pid]).get(process.pid)?.processes} processes in this benchmark's tree`)
  const [a, b] = people as [Person, Person]
  const chromium = a.browser.version()
  await a.host.call('openDirect', { userId: b.userId })
  for (let size = 2; size <= config.groupMax; size++) {
    await a.host.call('createGroup', { title: groupTitle(size), memberIds: people.slice(1, size).map((p) => p.userId) })
  }
  await openConversation(a, b.name)
  await openConversation(b, a.name)

  const notices: string[] = []
  const first: FirstSample[] = []
  for (const media of ['audio', 'video'] as const) {
    for (let i = 0; i < config.first; i++) {
      // Turn about, so neither hits the server's limit on starting calls and both directions are timed.
      const [caller, callee] = i % 2 === 0 ? [a, b] : [b, a]
      const s = await timedCall(caller, callee, media, notices)
      first.push(s)
      log(`  ${media} ${i + 1}/${config.first} (${caller.name} calls): first audio ${s.audioDecodedMs.toFixed(0)} ms, video ${s.videoDecodedMs.toFixed(0)} ms`)
    }
  }

  log(`1:1: baseline (no call) for ${config.window} s`)
  await sleep(config.settle * 1000)
  const baseline = await measureWindow([a, b], serverPid, config.window)
  await startCall(a, 'video')
  await accept(b, true)
  for (const p of [a, b]) await waitConnected(p, 2)
  log(`1:1: video call, settling ${config.settle} s, then ${config.window} s`)
  await sleep(config.settle * 1000)
  const oneToOne = await measureWindow([a, b], serverPid, config.window)
  await leave(a)
  await b.page.getByTestId('call-view').waitFor({ state: 'hidden' })

  const groups: GroupRow[] = []
  for (let size = 2; size <= config.groupMax; size++) {
    log(`group video call of ${size}`)
    groups.push(await groupCall(people, size, serverPid))
  }
  for (const p of people) {
    const notice = await takeNotice(p)
    if (notice) notices.push(`${p.name} after the group calls: ${notice}`)
  }
  const serverErrors = await server.call<string[]>('errors')
  const revision = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
  return { config, revision, chromium, first, baseline, oneToOne, groups, notices, serverErrors, loadBefore, loadAfter: loadavg(), totalSeconds: (performance.now() - t0) / 1000 }
}

async function main(): Promise<void> {
  if (!existsSync(join(config.rendererDir, 'index.html'))) throw new Error(`no built renderer in ${config.rendererDir}: run npm run build:app first`)
  const m = machine()
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-calls-'))
  const started: Started = { people: [], hosts: [], browsers: [] }
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up after ${config.deadline} s (BENCH_CALLS_DEADLINE)`)), config.deadline * 1000)
  })
  try {
    const result = await Promise.race([run(started, dataDir), deadline])
    const body = renderCalls(result, m)
    log(`\n${body}`)
    if (process.env['BENCH_CALLS_NO_DOC'] !== '1') {
      updateSection(CALLS_HEADING, body)
      log('updated docs/benchmarks.md')
    }
  } finally {
    clearTimeout(timer)
    await stopAll(started)
    await rm(dataDir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exitCode = 1
})
