// npm run bench:ui — the renderer in Chromium, served by the Node host over a
// real client core (in this process) whose cache holds a 100,000-message
// conversation, against a real server (a child process) holding the same
// history: how fast that conversation opens from the sidebar, and whether
// scrolling up through 10,000 of its messages keeps every frame under 50 ms.
// Results update the "UI (Chromium)" section of docs/benchmarks.md.
//
//   BENCH_UI_BIG (100000)       messages in the long conversation; BENCH_UI_SMALL (50) in the baseline one
//   BENCH_UI_SWITCHES (12)      warm switches each way (long → short and back)
//   BENCH_UI_COLD (4)           page loads, each opening both conversations for the first time
//   BENCH_UI_SCROLL (10000)     messages to scroll through; BENCH_UI_SCROLL_PX (60) pixels per frame
//   BENCH_UI_SCROLL_DOWN (2000) messages to scroll back down afterwards (reported, not in the target; 0: none)
//   BENCH_UI_UNREAD_CHATS (4)   conversations of 2,000 messages with BENCH_UI_UNREAD (40) unread, each opened once per account (at its first unread)
//   BENCH_UI_LIVE=0             offline only (the account points at a closed port); default: offline, then live
//   BENCH_UI_PROFILE=0          no profiled extra pass (CDP sampling profiler); BENCH_UI_PROFILE_DIR keeps the .cpuprofile files
//   BENCH_UI_TRACE_DIR         also record a Chromium performance trace of 3 warm switches each way and a short scroll there (offline)
//   BENCH_UI_RENDERER           the built renderer (default out/renderer: run `npx electron-vite build` first)
//   BENCH_UI_NO_DOC=1, BENCH_KEEP_DATA=1
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test'
import { accountId } from '../../src/main/core/accounts'
import { silentLogger } from '../../src/main/core/logger'
import { startWebHost, staticRenderer, type WebHost } from '../../src/main/web/host'
import type { Conversation } from '../../src/shared/schemas/conversations'
import type { Message } from '../../src/shared/schemas/messages'
import type { Me } from '../../src/shared/schemas/users'
import { launchChromium } from '../helpers/browser'
import { closedPort, startClient, waitSynced, type TestClient } from '../helpers/client'
import { cacheDirOf, cacheMetaText, resetAccountFiles, writeCacheChunks, writeServerHistory, type CachedAccount } from './cache-files'
import { MAX_WINDOW, PAGE } from '../../src/renderer/src/store/window'
import { DOC_PATH } from './report'
import { Child } from './rpc'
import { makeCorpus, pick, rng, spreadTimes, TextMaker, type Random } from './search-data'
import { api, envNumber, fmt, log, machine, machineCpuTimes, median, quantile, registerUsers, sleep } from './util'

interface UiConfig {
  big: number
  small: number
  switches: number
  cold: number
  scrollMessages: number
  scrollPx: number
  /** Messages scrolled back down after the scroll up. */
  scrollDown: number
  /** Conversations opened at their first unread message, and how many unread each has. */
  unreadChats: number
  unread: number
  live: boolean
  profile: boolean
  profileDir: string | null
  traceDir: string | null
  rendererDir: string
}

function uiConfig(): UiConfig {
  return {
    big: Math.max(1000, envNumber('BENCH_UI_BIG', 100_000)),
    small: Math.max(20, envNumber('BENCH_UI_SMALL', 50)),
    switches: Math.max(1, envNumber('BENCH_UI_SWITCHES', 12)),
    cold: Math.max(1, envNumber('BENCH_UI_COLD', 4)),
    scrollMessages: Math.max(100, envNumber('BENCH_UI_SCROLL', 10_000)),
    scrollPx: Math.max(1, envNumber('BENCH_UI_SCROLL_PX', 60)),
    scrollDown: Math.max(0, envNumber('BENCH_UI_SCROLL_DOWN', 2000)),
    unreadChats: envNumber('BENCH_UI_UNREAD_CHATS', 4),
    unread: Math.max(2, envNumber('BENCH_UI_UNREAD', 40)),
    live: process.env['BENCH_UI_LIVE'] !== '0',
    profile: process.env['BENCH_UI_PROFILE'] !== '0',
    profileDir: process.env['BENCH_UI_PROFILE_DIR'] || null,
    traceDir: process.env['BENCH_UI_TRACE_DIR'] || null,
    rendererDir: process.env['BENCH_UI_RENDERER'] || join(import.meta.dirname, '../../out/renderer')
  }
}

const OPEN_TARGET_MS = 100
const FRAME_TARGET_MS = 50
const PASSWORD = 'bench-password'
const SEED = 20_261_122
const YEAR_MS = 365 * 24 * 3600 * 1000
const VIEWPORT = { width: 1280, height: 800 }
const SWITCH_TIMEOUT_MS = 10_000
const BIG_TITLE = 'Long history'
const SMALL_TITLE = 'Short chat'
const UNREAD_MESSAGES = 2000
const unreadTitle = (i: number): string => `Unread ${i + 1}`
const SERVER_SCRIPT = join(import.meta.dirname, 'search-server.ts')

/** Everything started by this run, stopped in `finally` even after a failure. */
const children = new Set<Child>()
const tempDirs = new Set<string>()

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  tempDirs.add(dir)
  return dir
}

async function startServerChild(dataDir: string): Promise<{ child: Child; url: string }> {
  const child = new Child(SERVER_SCRIPT, 'server')
  children.add(child)
  const { port } = await child.call<{ port: number }>('start', { dataDir })
  return { child, url: `http://127.0.0.1:${port}` }
}

async function stopChild(child: Child): Promise<void> {
  await child.stop()
  children.delete(child)
}

// ---------------------------------------------------------------------------
// The page side: plain JavaScript installed with addInitScript (a string, so
// tsx's transform never touches it), as window.__uiBench.
//
// armSwitch(targetSeq, timeoutMs), right before a click on a conversation:
// the click's time is its event.timeStamp (a capturing listener); a
// MutationObserver notes when the row with data-seq=targetSeq (the newest
// message of the conversation clicked) is in the DOM; a requestAnimationFrame
// loop checks after each frame's rendering (a MessageChannel message posted
// from the frame's rAF callback runs once that frame's style, layout and paint
// are done) for the first frame that painted the row visibly (not under
// visibility: hidden, inside the list's viewport) and the first whose
// viewport was full of rows with the newest at the bottom. `finished`
// resolves with the sample (CSP forbids Playwright's waitForFunction here).
//
// scroll({ messages, px, timeoutMs }): scrolls the open list upward by px per
// frame (scrollTop, in rAF) until the row at the top of the viewport is
// `messages` seqs older than at the start; records every frame's duration
// (consecutive rAF timestamps), the rows in the DOM, the frames where an older
// page arrived, Long Animation Frames and long tasks.
// ---------------------------------------------------------------------------

interface SwitchSample {
  targetSeq: number
  /** The click event's timeStamp (when the input happened). */
  t0: number | null
  /** performance.now() in the capturing listener (the click's handlers start). */
  tListener: number | null
  /** The newest row of the conversation clicked is in the DOM. */
  tDom: number | null
  /** End of the first frame that painted it. */
  firstPaint: number | null
  rowsAtFirstPaint: number
  /** End of the first frame whose viewport was full of rows, the newest one at the bottom. */
  filled: number | null
  rowsAtFilled: number
  frames: number
  timedOut: boolean
  done: boolean
}

interface LoafEntry {
  startTime: number
  duration: number
  blockingDuration: number
  renderStart: number
  styleAndLayoutStart: number
  scripts: Array<{ invoker: string; sourceFunctionName: string; sourceURL: string; sourceCharPosition: number; duration: number; forcedStyleAndLayoutDuration: number }>
}

interface ScrollSample {
  frames: number[]
  elapsedMs: number
  startSeq: number
  endSeq: number
  /** Frames in which the list was already at its top (waiting for an older page). */
  stallFrames: number
  /** Indexes (in `frames`) of the frames where an older page had just been prepended (the list grew by > 2,000 px). */
  loadFrames: number[]
  /** [data-seq] rows in the DOM at every frame. */
  rowSamples: number[]
  nodesStart: number
  nodesEnd: number
  scrollHeightStart: number
  scrollHeightEnd: number
  loafSupported: boolean
  loafs: LoafEntry[]
  longtasks: Array<{ startTime: number; duration: number }>
  timedOut: boolean
}

const PAGE_SCRIPT = String.raw`
(() => {
  if (window.__uiBench) return
  const B = { current: null, errors: [] }
  window.__uiBench = B
  // Every error event, handled or not (a ResizeObserver loop is reported this way).
  window.addEventListener('error', (e) => B.errors.push(String(e.message)), true)
  document.addEventListener('click', (e) => {
    const p = B.current
    if (p && p.t0 === null) {
      p.t0 = e.timeStamp
      p.tListener = performance.now()
    }
  }, true)

  const scrollerOf = () => document.querySelector('[data-virtuoso-scroller]')
  const rowCount = () => document.querySelectorAll('[data-seq]').length

  B.armSwitch = (targetSeq, timeoutMs, atBottom) => {
    const p = { targetSeq, t0: null, tListener: null, tDom: null, firstPaint: null, rowsAtFirstPaint: 0, filled: null, rowsAtFilled: 0, frames: 0, timedOut: false, done: false }
    B.current = p
    const sel = '[data-seq="' + targetSeq + '"]'
    const mo = new MutationObserver(() => {
      if (p.tDom === null && p.t0 !== null && document.querySelector(sel)) p.tDom = performance.now()
    })
    mo.observe(document.body, { childList: true, subtree: true })
    // On screen: in the DOM, not hidden (Virtuoso keeps the list visibility: hidden until it has
    // scrolled to the initial item), and inside the list's viewport.
    const shown = () => {
      const scroller = scrollerOf()
      const newest = document.querySelector(sel)
      if (!scroller || !newest || !newest.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false
      const s = scroller.getBoundingClientRect()
      const n = newest.getBoundingClientRect()
      return n.bottom > s.top && n.top < s.bottom && n.height > 0
    }
    const filled = () => {
      if (!atBottom) return shown() && covered()
      const scroller = scrollerOf()
      const newest = document.querySelector(sel)
      if (!scroller || !newest || !shown()) return false
      const s = scroller.getBoundingClientRect()
      const n = newest.getBoundingClientRect()
      if (n.bottom > s.bottom + 2 || n.bottom < s.top) return false
      if (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 2) return false
      const rows = scroller.querySelectorAll('[data-seq]')
      if (rows.length === 0) return false
      return rows[0].getBoundingClientRect().top <= s.top + 1 || scroller.scrollHeight <= scroller.clientHeight + 1
    }
    // Rows from the top of the list's viewport down (or the list is shorter than it).
    const covered = () => {
      const scroller = scrollerOf()
      const rows = scroller && scroller.querySelectorAll('[data-seq]')
      if (!rows || rows.length === 0) return false
      return rows[0].getBoundingClientRect().top <= scroller.getBoundingClientRect().top + 1 || scroller.scrollHeight <= scroller.clientHeight + 1
    }
    const started = performance.now()
    let resolveDone
    B.finished = new Promise((resolve) => { resolveDone = resolve })
    const finish = (timedOut) => {
      p.timedOut = timedOut
      p.done = true
      mo.disconnect()
      resolveDone(p)
    }
    const frame = () => {
      p.frames++
      const channel = new MessageChannel()
      channel.port1.onmessage = () => {
        if (p.done) return
        const now = performance.now()
        if (p.firstPaint === null && p.tDom !== null && shown()) {
          p.firstPaint = now
          p.rowsAtFirstPaint = rowCount()
        }
        if (p.firstPaint !== null && filled()) {
          p.filled = now
          p.rowsAtFilled = rowCount()
          finish(false)
          return
        }
        if (now - started > timeoutMs) {
          finish(true)
          return
        }
        requestAnimationFrame(frame)
      }
      channel.port2.postMessage(null)
    }
    requestAnimationFrame(frame)
  }

  const topSeq = (scroller) => {
    const top = scroller.getBoundingClientRect().top
    for (const row of scroller.querySelectorAll('[data-seq]')) if (row.getBoundingClientRect().bottom > top + 1) return Number(row.getAttribute('data-seq'))
    return NaN
  }

  // px > 0 scrolls up (to older messages), px < 0 down (to newer ones).
  B.scroll = ({ messages, px, timeoutMs }) => new Promise((resolve, reject) => {
    const scroller = scrollerOf()
    if (!scroller) return reject(new Error('no message list on the page'))
    const frames = []
    const rowSamples = []
    const loafs = []
    const longtasks = []
    const observers = []
    const supported = PerformanceObserver.supportedEntryTypes || []
    const takeLoaf = (e) => loafs.push({
      startTime: e.startTime, duration: e.duration, blockingDuration: e.blockingDuration, renderStart: e.renderStart, styleAndLayoutStart: e.styleAndLayoutStart,
      scripts: (e.scripts || []).map((s) => ({ invoker: s.invoker, sourceFunctionName: s.sourceFunctionName, sourceURL: s.sourceURL, sourceCharPosition: s.sourceCharPosition, duration: s.duration, forcedStyleAndLayoutDuration: s.forcedStyleAndLayoutDuration }))
    })
    const take = (e) => (e.entryType === 'longtask' ? longtasks.push({ startTime: e.startTime, duration: e.duration }) : takeLoaf(e))
    for (const type of ['long-animation-frame', 'longtask']) {
      if (!supported.includes(type)) continue
      const o = new PerformanceObserver((list) => { for (const e of list.getEntries()) take(e) })
      o.observe({ type })
      observers.push(o)
    }
    const startSeq = topSeq(scroller)
    const nodesStart = document.getElementsByTagName('*').length
    const scrollHeightStart = scroller.scrollHeight
    let stallFrames = 0
    let count = 0
    let last = null
    let endSeq = startSeq
    let height = scrollHeightStart
    let expected = null
    const loadFrames = []
    const started = performance.now()
    const done = (timedOut) => {
      for (const o of observers) {
        for (const e of o.takeRecords()) take(e)
        o.disconnect()
      }
      resolve({
        frames, elapsedMs: performance.now() - started, startSeq, endSeq, stallFrames, rowSamples, loadFrames,
        nodesStart, nodesEnd: document.getElementsByTagName('*').length, scrollHeightStart, scrollHeightEnd: scroller.scrollHeight,
        loafSupported: supported.includes('long-animation-frame'), loafs, longtasks, timedOut
      })
    }
    const tick = (ts) => {
      if (last !== null) frames.push(ts - last)
      last = ts
      count++
      rowSamples.push(rowCount())
      // An older page prepended: the list grows by ~100 rows at once, or (when the renderer drops as
      // many rows from its window's newest end) Virtuoso moves scrollTop down by the rows' height.
      const h = scroller.scrollHeight
      // Going down: a newer page appended grows the list; with as many rows dropped from the window's top, scrollTop moves up instead.
      const jumped = expected !== null && (px > 0 ? scroller.scrollTop > expected + 2000 : scroller.scrollTop < expected - 2000)
      if (h > height + 2000 || jumped) loadFrames.push(frames.length - 1)
      height = h
      if (count % 10 === 0) {
        endSeq = topSeq(scroller)
        if ((px > 0 ? startSeq - endSeq : endSeq - startSeq) >= messages) return done(false)
      }
      if (performance.now() - started > timeoutMs) return done(true)
      const before = scroller.scrollTop
      const bottom = scroller.scrollHeight - scroller.clientHeight
      if (px > 0 ? before <= 0 : before >= bottom - 1) stallFrames++
      scroller.scrollTop = before - px
      expected = Math.min(bottom, Math.max(0, before - px))
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })
})()
`

// ---------------------------------------------------------------------------
// Preparation: a server and a cache holding the same history
// ---------------------------------------------------------------------------

interface Prepared {
  userDataDir: string
  account: CachedAccount
  metaPath: string
  server: Child
  liveUrl: string
  bigId: string
  smallId: string
  /** Title (as the sidebar names it) and size of every conversation. */
  conversations: Array<{ title: string; messages: number }>
  chunkFiles: number
  cacheBytes: number
  textChars: number
  prepareSeconds: number
  indexSeconds: number
}

interface Plan {
  title: string | null
  kind: 'group' | 'direct'
  members: string[]
  messages: number
  /** How long ago its newest message was sent. */
  endAgoMs: number
  /** Left unread (the newest ones); the rest is read. */
  unread?: number
}

/**
 * A text conversation as people write it: runs of messages by the same
 * sender, a quarter of them mine, some replies (quoting an earlier message),
 * reactions, links and edits; times spread over a year.
 */
function makeHistory(conversationId: string, plan: Plan, meId: string, texts: TextMaker, random: Random, end: number): Message[] {
  const times = spreadTimes(random, plan.messages, end - YEAR_MS, end)
  const others = plan.members.filter((id) => id !== meId)
  const out: Message[] = []
  let sender = meId
  for (let k = 0; k < plan.messages; k++) {
    if (k === 0 || random() < 0.45) sender = random() < 0.25 ? meId : pick(random, others)
    let text = texts.text()
    if (random() < 0.03) text += ` https://intranet.example/tickets/${Math.floor(random() * 90_000) + 10_000}`
    const m: Message = {
      id: randomUUID(),
      clientId: randomUUID(),
      conversationId,
      seq: k + 1,
      kind: 'text',
      senderId: sender,
      text,
      createdAt: new Date(times[k]!).toISOString()
    }
    if (k > 0 && random() < 0.04) {
      const quoted = out[Math.max(0, k - 1 - Math.floor(random() * 30))]!
      m.replyTo = { seq: quoted.seq, senderId: quoted.senderId, preview: quoted.text.slice(0, 80) }
    }
    if (random() < 0.05) m.reactions = { [pick(random, ['👍', '❤️', '😂', '🎉'])]: others.slice(0, 1 + Math.floor(random() * others.length)) }
    if (random() < 0.01) m.editedAt = new Date(times[k]! + 60_000).toISOString()
    out.push(m)
  }
  return out
}

async function prepare(config: UiConfig): Promise<Prepared> {
  const started = performance.now()
  const dataDir = await tempDir('ui-bench-server-')
  const userDataDir = await tempDir('ui-bench-client-')
  const random = rng(SEED)
  let { child: server, url } = await startServerChild(dataDir)
  const users = await registerUsers(url, 'u', 6)
  const me = users[0]!
  const peers = users.slice(1)
  const ids = peers.map((p) => p.id)
  const hour = 3600_000
  const plans: Plan[] = [
    { title: BIG_TITLE, kind: 'group', members: [me.id, ids[0]!, ids[1]!, ids[2]!], messages: config.big, endAgoMs: 1 * hour },
    { title: SMALL_TITLE, kind: 'group', members: [me.id, ids[1]!, ids[3]!], messages: config.small, endAgoMs: 2 * hour },
    { title: 'Team notes', kind: 'group', members: [me.id, ids[0]!, ids[2]!, ids[3]!, ids[4]!], messages: 400, endAgoMs: 3 * hour },
    { title: null, kind: 'direct', members: [me.id, ids[3]!], messages: 120, endAgoMs: 5 * hour },
    { title: null, kind: 'direct', members: [me.id, ids[4]!], messages: 30, endAgoMs: 26 * hour },
    ...Array.from({ length: config.unreadChats }, (_, i): Plan => ({
      title: unreadTitle(i),
      kind: 'group',
      members: [me.id, ids[i % 5]!, ids[(i + 2) % 5]!],
      messages: UNREAD_MESSAGES,
      endAgoMs: (30 + i) * hour,
      unread: config.unread
    }))
  ]
  const conversationIds: string[] = []
  for (const plan of plans) {
    const body = plan.kind === 'direct' ? { kind: 'direct', userId: plan.members[1] } : { kind: 'group', title: plan.title, memberIds: plan.members.slice(1) }
    conversationIds.push((await api<{ conversation: { id: string } }>(url, 'POST', '/conversations', body, me.accessToken)).conversation.id)
  }
  await stopChild(server)

  const account: CachedAccount = { id: accountId(url, me.id), serverUrl: url, userId: me.id, username: 'bench_u0', displayName: 'bench_u0' }
  const cacheDir = cacheDirOf(userDataDir, account.id)
  const texts = new TextMaker(makeCorpus(4000, SEED + 1), SEED + 2)
  const now = Date.now()
  let chunkFiles = 0
  let cacheBytes = 0
  let textChars = 0
  let textCount = 0
  for (const [i, plan] of plans.entries()) {
    const id = conversationIds[i]!
    const messages = makeHistory(id, plan, me.id, texts, random, now - plan.endAgoMs)
    if (i === 0) for (const m of messages) textChars += m.text.length
    if (i === 0) textCount = messages.length
    await writeServerHistory(join(dataDir, 'messages'), id, messages)
    const written = await writeCacheChunks(cacheDir, id, messages)
    chunkFiles += written.files
    cacheBytes += written.bytes
  }
  // The index made so far holds only the groups' system messages: the server re-indexes all of it once, before any measurement.
  for (const suffix of ['', '-wal', '-shm']) await rm(join(dataDir, `search.sqlite${suffix}`), { force: true })
  const prepareSeconds = (performance.now() - started) / 1000
  const i0 = performance.now()
  ;({ child: server, url } = await startServerChild(dataDir))
  await server.call('caughtUp', { timeoutMs: 10 * 60_000 })
  const indexSeconds = (performance.now() - i0) / 1000
  log(`  prepared in ${fmt(prepareSeconds, 1)} s; the server indexed its history for search in ${fmt(indexSeconds, 1)} s`)

  // Everything read but the unread conversations' newest messages.
  for (const [i, plan] of plans.entries()) await api(url, 'POST', `/conversations/${conversationIds[i]}/read`, { seq: plan.messages - (plan.unread ?? 0) }, me.accessToken)
  const conversations = (await api<{ conversations: Conversation[] }>(url, 'GET', '/conversations', undefined, me.accessToken)).conversations
  const profile = (await api<{ user: Me }>(url, 'GET', '/me', undefined, me.accessToken)).user
  for (const [i, plan] of plans.entries()) {
    const c = conversations.find((x) => x.id === conversationIds[i])
    if (!c || c.lastSeq !== plan.messages || c.unreadCount !== (plan.unread ?? 0)) throw new Error(`the server has ${JSON.stringify(c && { lastSeq: c.lastSeq, unread: c.unreadCount })} for ${plan.title ?? 'a direct chat'}`)
  }
  const metaPath = join(userDataDir, 'meta.pristine.json')
  await writeFile(metaPath, cacheMetaText(profile, conversations))
  const titleOf = (plan: Plan): string => plan.title ?? `bench_u${ids.indexOf(plan.members[1]!) + 1}`
  return {
    userDataDir,
    account,
    metaPath,
    server,
    liveUrl: url,
    bigId: conversationIds[0]!,
    smallId: conversationIds[1]!,
    conversations: plans.map((p) => ({ title: titleOf(p), messages: p.messages })),
    chunkFiles,
    cacheBytes,
    textChars: textChars / textCount,
    prepareSeconds,
    indexSeconds
  }
}

// ---------------------------------------------------------------------------
// Measurements in the page
// ---------------------------------------------------------------------------

interface Switch {
  /** Click → first frame that painted message rows of the conversation clicked. */
  firstPaintMs: number
  /** Click → its newest row in the DOM. */
  domMs: number
  /** Click → first frame with a full viewport of rows, the newest at the bottom. */
  filledMs: number
  /** Click event's timeStamp → its handlers start (input delay). */
  inputDelayMs: number
  rowsAtFirstPaint: number
  rowsAtFilled: number
}

interface SwitchSet {
  big: Switch[]
  small: Switch[]
}

interface HeapPoint {
  usedMiB: number
  totalMiB: number
  nodes: number
}

interface ScrollResult extends ScrollSample {
  px: number
  /** Cores used during the scroll: Chromium + this process + the server; the whole machine; the rest (other work on the machine). */
  cores: { ours: number; machine: number; others: number }
  heapBefore: HeapPoint
  heapAfter: HeapPoint
  heapAfterGc: HeapPoint
  /** Renderer main-thread time during the scroll, from CDP Performance.getMetrics (ms). */
  taskMs: number
  scriptMs: number
  layoutMs: number
  styleMs: number
  layoutCount: number
  styleCount: number
}

interface ProfileEntry {
  name: string
  selfMs: number
}

interface ProfileSummary {
  label: string
  wallMs: number
  busyMs: number
  byArea: ProfileEntry[]
  byFunction: ProfileEntry[]
  file: string | null
}

interface ModeResult {
  mode: 'offline' | 'live'
  cold: SwitchSet
  /** Conversations with unread messages, each opened once (at the first unread, after the page loaded). */
  unread: Switch[]
  warm: SwitchSet
  afterScroll: SwitchSet
  scroll: ScrollResult
  profiles: ProfileSummary[]
  /** Scrolled back down after the scroll up (not in the target); null with BENCH_UI_SCROLL_DOWN=0. */
  scrollDown: ScrollResult | null
  /** Uncaught errors and console errors; error events on the window (a ResizeObserver loop notice is one). */
  uncaught: string[]
  errorEvents: string[]
}

/** A conversation in the sidebar by its title (its accessible name adds ", N unread" when it has some). */
const option = (page: Page, title: string) => page.getByRole('option', { name: new RegExp(`^${title}(, \\d+ unread)?$`) })

/** Clicks the conversation and times it; `targetSeq` is its newest message (atBottom) or the row it must open at. */
async function measureSwitch(page: Page, title: string, targetSeq: number, atBottom = true): Promise<Switch> {
  await page.evaluate(`window.__uiBench.armSwitch(${targetSeq}, ${SWITCH_TIMEOUT_MS}, ${atBottom})`)
  await option(page, title).click()
  const s = await page.evaluate<SwitchSample>('window.__uiBench.finished')
  if (s.timedOut || s.t0 === null || s.tListener === null || s.tDom === null || s.firstPaint === null || s.filled === null) {
    const state = await page.evaluate<unknown>(`(() => {
      const s = document.querySelector('[data-virtuoso-scroller]'); const n = document.querySelector('[data-seq="${targetSeq}"]')
      return { scroller: s && { top: s.scrollTop, client: s.clientHeight, height: s.scrollHeight, rect: s.getBoundingClientRect().toJSON() },
        newest: n && { rect: n.getBoundingClientRect().toJSON(), visible: n.checkVisibility({ visibilityProperty: true, opacityProperty: true }) },
        rows: [...document.querySelectorAll('[data-seq]')].map((r) => r.getAttribute('data-seq') + '@' + Math.round(r.getBoundingClientRect().top)).join(' ') }
    })()`)
    throw new Error(`opening ${title} was not seen within ${SWITCH_TIMEOUT_MS} ms: ${JSON.stringify(s)}; the page: ${JSON.stringify(state)}`)
  }
  await sleep(250)
  return {
    firstPaintMs: s.firstPaint - s.t0,
    domMs: s.tDom - s.t0,
    filledMs: s.filled - s.t0,
    inputDelayMs: s.tListener - s.t0,
    rowsAtFirstPaint: s.rowsAtFirstPaint,
    rowsAtFilled: s.rowsAtFilled
  }
}

/** CPU seconds (user + system) of this process and all its descendants (Chromium, the server), from /proc; null elsewhere. */
function treeCpuSeconds(root = process.pid): number | null {
  try {
    const stats = new Map<number, { ppid: number; ticks: number }>()
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue
      let text: string
      try {
        text = readFileSync(`/proc/${name}/stat`, 'utf8')
      } catch {
        continue // gone
      }
      // After "pid (comm) ": state ppid ... utime (14th field) stime (15th)
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ')
      stats.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) })
    }
    const children = new Map<number, number[]>()
    for (const [pid, x] of stats) children.set(x.ppid, [...(children.get(x.ppid) ?? []), pid])
    let ticks = 0
    const stack = [root]
    while (stack.length) {
      const pid = stack.pop()!
      ticks += stats.get(pid)?.ticks ?? 0
      stack.push(...(children.get(pid) ?? []))
    }
    return ticks / 100 // USER_HZ
  } catch {
    return null
  }
}

interface CpuMark {
  at: number
  ours: number | null
  machine: { busy: number; total: number } | null
}

const cpuMark = (): CpuMark => ({ at: performance.now(), ours: treeCpuSeconds(), machine: machineCpuTimes() })

/** Cores used on average between two marks: by this benchmark's processes, by the whole machine, and the difference. */
function coresBetween(a: CpuMark, b: CpuMark): { ours: number; machine: number; others: number } {
  const seconds = (b.at - a.at) / 1000
  const ours = a.ours !== null && b.ours !== null ? (b.ours - a.ours) / seconds : NaN
  const machine = a.machine && b.machine ? (b.machine.busy - a.machine.busy) / 100 / seconds : NaN
  return { ours, machine, others: Math.max(0, machine - ours) }
}

async function heap(cdp: CDPSession, gc: boolean): Promise<HeapPoint> {
  if (gc) await cdp.send('HeapProfiler.collectGarbage')
  const m = await metrics(cdp)
  return { usedMiB: m['JSHeapUsedSize']! / 2 ** 20, totalMiB: m['JSHeapTotalSize']! / 2 ** 20, nodes: m['Nodes']! }
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = await cdp.send('Performance.getMetrics')
  return Object.fromEntries(list.map((m) => [m.name, m.value]))
}

/** Loads the page and waits for the sidebar. */
async function load(page: Page, url?: string): Promise<void> {
  if (url) await page.goto(url)
  else await page.reload()
  await option(page, BIG_TITLE).waitFor({ timeout: 30_000 })
  await option(page, SMALL_TITLE).waitFor({ timeout: 30_000 })
  await sleep(500)
}

async function runMode(browser: Browser, p: Prepared, config: UiConfig, mode: 'offline' | 'live', rendererDir: string): Promise<ModeResult> {
  const offlineUrl = `http://127.0.0.1:${await closedPort()}`
  const token =
    mode === 'live'
      ? (await api<{ refreshToken: string }>(p.liveUrl, 'POST', '/auth/login', { username: p.account.username, password: PASSWORD })).refreshToken
      : 'not-used-the-server-is-unreachable'
  await resetAccountFiles(p.userDataDir, p.account, mode === 'live' ? p.liveUrl : offlineUrl, token, p.metaPath)
  let client: TestClient | null = null
  let host: WebHost | null = null
  let context: BrowserContext | null = null
  try {
    client = await startClient(p.userDataDir)
    const state = await client.call('session.get')
    if (state.status !== 'signed_in') throw new Error(`the core did not resume the session: ${JSON.stringify(state)}`)
    if (mode === 'live') await waitSynced(client, 0, 60_000)
    host = await startWebHost({ core: client.core, renderer: () => staticRenderer(rendererDir), log: silentLogger })
    context = await browser.newContext({ viewport: VIEWPORT })
    await context.addInitScript(PAGE_SCRIPT)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')
    await load(page, host.url)

    const big = config.big
    const small = config.small
    const cold: SwitchSet = { big: [], small: [] }
    for (let run = 1; run <= config.cold; run++) {
      if (run > 1) await load(page)
      const order = run % 2 === 1 ? (['big', 'small'] as const) : (['small', 'big'] as const)
      for (const which of order) {
        const s = which === 'big' ? await measureSwitch(page, BIG_TITLE, big) : await measureSwitch(page, SMALL_TITLE, small)
        cold[which].push(s)
      }
      log(`  ${mode} cold ${run}: ${BIG_TITLE} first paint ${fmt(cold.big.at(-1)!.firstPaintMs, 1)} ms, ${SMALL_TITLE} ${fmt(cold.small.at(-1)!.firstPaintMs, 1)} ms`)
    }

    // Where a cold opening's time goes (not counted): one more page load, the long conversation opened under the profiler.
    const profiles: ProfileSummary[] = []
    if (config.profile && mode === 'offline') {
      await load(page)
      const p = await profiled(cdp, () => measureSwitch(page, BIG_TITLE, big))
      const label = `a cold opening of ${BIG_TITLE} after a page load (first paint ${fmt(p.result.firstPaintMs, 1)} ms, row in the DOM ${fmt(p.result.domMs, 1)} ms, under the profiler; 250 ms after it included)`
      profiles.push(summarize(p.profile, label, bundleModules(rendererDir), await keepProfile(config, 'cold', p.profile)))
      await measureSwitch(page, SMALL_TITLE, small) // so that the warm switches below are all warm
    }

    const warm = await switches(page, config.switches, big, small)
    log(`  ${mode} warm switches: ${BIG_TITLE} first paint median ${fmt(median(warm.big.map((x) => x.firstPaintMs)), 1)} ms (max ${fmt(Math.max(...warm.big.map((x) => x.firstPaintMs)), 1)}), ${SMALL_TITLE} median ${fmt(median(warm.small.map((x) => x.firstPaintMs)), 1)} ms`)

    // Conversations with unread messages open at the first unread (once each: opening marks them read).
    const unread: Switch[] = []
    for (let i = 0; i < config.unreadChats; i++) unread.push(await measureSwitch(page, unreadTitle(i), UNREAD_MESSAGES - config.unread + 1, false))
    if (unread.length) log(`  ${mode} unread: first unread row painted after ${unread.map((x) => fmt(x.firstPaintMs, 1)).join(', ')} ms`)

    // Scroll up through the long conversation, opened afresh (a new page load: only its newest page is loaded).
    await load(page)
    await measureSwitch(page, BIG_TITLE, big)
    await sleep(500)
    const scroll = await scrollRun(page, cdp, config.scrollMessages, config.scrollPx)
    log(
      `  ${mode} scroll: ${fmt(scroll.startSeq - scroll.endSeq)} messages in ${fmt(scroll.elapsedMs / 1000, 1)} s, ${fmt(scroll.frames.length)} frames, ` +
        `p50 ${fmt(quantile(scroll.frames, 0.5), 1)} / p99 ${fmt(quantile(scroll.frames, 0.99), 1)} / max ${fmt(Math.max(...scroll.frames), 1)} ms, ` +
        `${scroll.frames.filter((f) => f > FRAME_TARGET_MS).length} over ${FRAME_TARGET_MS} ms (${atLoad(scroll)} at a page load), ${scroll.stallFrames} stalled, rows ≤ ${Math.max(...scroll.rowSamples)}, ` +
        `cores ours ${fmt(scroll.cores.ours, 2)} / others ${fmt(scroll.cores.others, 2)}`
    )

    // Where the time goes once the list holds that much: the same scroll, 1,000 messages further, under the profiler (not counted).
    if (config.profile && mode === 'offline') {
      const more = 1000
      const held = scroll.startSeq - scroll.endSeq
      const p = await profiled(cdp, () => page.evaluate<ScrollSample>(`window.__uiBench.scroll({ messages: ${more}, px: ${config.scrollPx}, timeoutMs: 120000 })`))
      const over = p.result.frames.filter((f) => f > FRAME_TARGET_MS).length
      profiles.push(
        summarize(
          p.profile,
          `the same scroll continued for ${fmt(more)} more messages (${fmt(held)}–${fmt(held + more)} scrolled through, the list holding at most ${fmt(MAX_WINDOW)}; ${over} frame${over === 1 ? '' : 's'} over ${FRAME_TARGET_MS} ms under the profiler)`,
          bundleModules(rendererDir),
          await keepProfile(config, 'scroll', p.profile)
        )
      )
    }

    // Back down again (not in the target): newer pages come back from the core, the window drops its oldest end.
    const scrollDown = config.scrollDown > 0 ? await scrollRun(page, cdp, config.scrollDown, -config.scrollPx) : null
    if (scrollDown) log(`  ${mode} scroll back down: ${fmt(scrollDown.endSeq - scrollDown.startSeq)} messages, ${scrollDown.frames.filter((f) => f > FRAME_TARGET_MS).length} frames over ${FRAME_TARGET_MS} ms, max ${fmt(Math.max(...scrollDown.frames), 1)} ms, ${scrollDown.loadFrames.length} pages loaded`)

    // Back and forth again, the long conversation's window now far from its newest message.
    const afterScroll = await switches(page, Math.max(3, Math.ceil(config.switches / 2)), big, small)
    log(`  ${mode} switches after the scroll: ${BIG_TITLE} first paint median ${fmt(median(afterScroll.big.map((x) => x.firstPaintMs)), 1)} ms`)

    if (config.profile && mode === 'offline') profiles.unshift(...(await profilePass(page, cdp, config, rendererDir)))
    if (profiles.length) log(`  profiled (not counted): ${profiles.map((x) => `${x.label}: ${fmt(x.busyMs)} ms busy of ${fmt(x.wallMs)} ms`).join('; ')}`)
    const windowErrors = await page.evaluate<string[]>('window.__uiBench.errors')
    if (errors.length || windowErrors.length) log(`  page errors: ${[...errors, ...windowErrors].slice(0, 5).join(' | ')} (${errors.length} uncaught/console, ${windowErrors.length} error events)`)
    return { mode, cold, unread, warm, afterScroll, scroll, scrollDown, profiles, uncaught: errors, errorEvents: windowErrors }
  } finally {
    await context?.close().catch(() => undefined)
    await host?.close().catch(() => undefined)
    await client?.close().catch(() => undefined)
  }
}

/** `n` switches each way, starting from whichever is open. */
async function switches(page: Page, n: number, big: number, small: number): Promise<SwitchSet> {
  const set: SwitchSet = { big: [], small: [] }
  const smallFirst = (await option(page, SMALL_TITLE).getAttribute('aria-selected')) !== 'true'
  for (let i = 0; i < n; i++) {
    if (smallFirst) set.small.push(await measureSwitch(page, SMALL_TITLE, small))
    set.big.push(await measureSwitch(page, BIG_TITLE, big))
    if (!smallFirst) set.small.push(await measureSwitch(page, SMALL_TITLE, small))
  }
  return set
}

async function scrollRun(page: Page, cdp: CDPSession, messages: number, px: number): Promise<ScrollResult> {
  const heapBefore = await heap(cdp, true)
  const m0 = await metrics(cdp)
  // At 60 frames a second, with room for stalls on a loaded machine.
  const timeoutMs = Math.max(120_000, messages * 60)
  const c0 = cpuMark()
  const sample = await page.evaluate<ScrollSample>(`window.__uiBench.scroll({ messages: ${messages}, px: ${px}, timeoutMs: ${timeoutMs} })`)
  const cores = coresBetween(c0, cpuMark())
  const m1 = await metrics(cdp)
  const heapAfter = await heap(cdp, false)
  const heapAfterGc = await heap(cdp, true)
  if (sample.timedOut) throw new Error(`the scroll did not get through ${messages} messages in ${timeoutMs / 1000} s (at seq ${sample.endSeq})`)
  const d = (name: string): number => ((m1[name] ?? 0) - (m0[name] ?? 0)) * 1000
  return {
    ...sample,
    px,
    cores,
    heapBefore,
    heapAfter,
    heapAfterGc,
    taskMs: d('TaskDuration'),
    scriptMs: d('ScriptDuration'),
    layoutMs: d('LayoutDuration'),
    styleMs: d('RecalcStyleDuration'),
    layoutCount: (m1['LayoutCount'] ?? 0) - (m0['LayoutCount'] ?? 0),
    styleCount: (m1['RecalcStyleCount'] ?? 0) - (m0['RecalcStyleCount'] ?? 0)
  }
}

// ---------------------------------------------------------------------------
// Profiles: where the renderer's main thread goes (CDP sampling profiler)
// ---------------------------------------------------------------------------

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }>
  samples?: number[]
  timeDeltas?: number[]
  startTime: number
  endTime: number
}

/** The bundle's module boundaries: rolldown heads each module with a `// path` comment line. */
function bundleModules(rendererDir: string): Map<string, Array<{ line: number; module: string }>> {
  const out = new Map<string, Array<{ line: number; module: string }>>()
  const assets = join(rendererDir, 'assets')
  for (const name of readdirSync(assets)) {
    if (!name.endsWith('.js')) continue
    const lines = readFileSync(join(assets, name), 'utf8').split('\n')
    const heads: Array<{ line: number; module: string }> = []
    lines.forEach((text, i) => {
      // node_modules/... (electron-vite) or ../../node_modules/... (a build from elsewhere)
      const match = /^\/\/(?:#region)? (?:\.\.\/)*((?:node_modules|src)\/\S+\.[cm]?[jt]sx?)$/.exec(text)
      if (match) heads.push({ line: i, module: match[1]! })
    })
    out.set(name, heads)
  }
  return out
}

function moduleAt(heads: Array<{ line: number; module: string }> | undefined, line: number): string | null {
  if (!heads || heads.length === 0) return null
  let lo = 0
  let hi = heads.length - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (heads[mid]!.line <= line) {
      found = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return found >= 0 ? heads[found]!.module : null
}

function areaOfModule(module: string): string {
  if (module.includes('node_modules/react-dom/')) return 'React (react-dom: render, commit)'
  if (module.includes('node_modules/scheduler/') || module.includes('node_modules/react/')) return 'React (scheduler, react)'
  if (module.includes('node_modules/react-virtuoso/')) return 'react-virtuoso'
  if (module.includes('node_modules/zustand/') || module.includes('node_modules/use-sync-external-store/')) return 'zustand'
  if (module.includes('node_modules/zod/')) return 'zod'
  if (module.includes('/components/Conversation/')) return `app: ${module.replace(/^.*\/components\//, '')}`
  if (module.startsWith('src/')) return `app: ${module.replace(/^src\/renderer\/src\//, '')}`
  return module
}

function summarize(profile: CpuProfile, label: string, modules: Map<string, Array<{ line: number; module: string }>>, file: string | null): ProfileSummary {
  const self = new Map<number, number>()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  for (let i = 0; i < samples.length; i++) self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + (deltas[i] ?? 0) / 1000)
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const areaCache = new Map<number, string | null>()
  const areaOf = (id: number | undefined): string | null => {
    if (id === undefined) return null
    if (areaCache.has(id)) return areaCache.get(id)!
    const n = nodes.get(id)!
    const { url, functionName, lineNumber } = n.callFrame
    let area: string | null = null
    if (functionName === '(garbage collector)') area = 'garbage collection'
    else if (functionName === '(idle)') area = 'idle'
    else if (functionName === '(program)') area = 'native: style, layout, paint and other browser work outside JS'
    else if (url) {
      const asset = url.replace(/^.*\/assets\//, '')
      const module = moduleAt(modules.get(asset), lineNumber)
      area = module ? areaOfModule(module) : url.includes('/assets/') ? 'app bundle (runtime)' : 'benchmark script / other'
    }
    area ??= areaOf(parent.get(id))
    areaCache.set(id, area)
    return area
  }
  const byArea = new Map<string, number>()
  const byFunction = new Map<string, number>()
  let busy = 0
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0
    if (ms === 0) continue
    const area = areaOf(node.id) ?? 'native (called from JS)'
    byArea.set(area, (byArea.get(area) ?? 0) + ms)
    if (area === 'idle') continue
    busy += ms
    const { functionName, url, lineNumber } = node.callFrame
    const asset = url.replace(/^.*\/assets\//, '')
    const module = url ? moduleAt(modules.get(asset), lineNumber) : null
    const where = module ? module.replace(/^node_modules\//, '').replace(/^src\/renderer\/src\//, '') : url ? url.replace(/^.*\//, '') : 'native'
    const key = `${functionName || '(anonymous)'} (${where}${url ? `:${lineNumber + 1}` : ''})`
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms)
  }
  const sorted = (m: Map<string, number>): ProfileEntry[] => [...m].map(([name, selfMs]) => ({ name, selfMs })).sort((a, b) => b.selfMs - a.selfMs)
  return { label, wallMs: (profile.endTime - profile.startTime) / 1000, busyMs: busy, byArea: sorted(byArea), byFunction: sorted(byFunction).slice(0, 15), file }
}

async function profiled<T>(cdp: CDPSession, fn: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }> {
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 })
  await cdp.send('Profiler.start')
  try {
    const result = await fn()
    const { profile } = await cdp.send('Profiler.stop')
    return { result, profile: profile as unknown as CpuProfile }
  } finally {
    await cdp.send('Profiler.disable').catch(() => undefined)
  }
}

/** The profile as a .cpuprofile file in BENCH_UI_PROFILE_DIR, if set. */
async function keepProfile(config: UiConfig, name: string, profile: CpuProfile): Promise<string | null> {
  if (!config.profileDir) return null
  await mkdir(config.profileDir, { recursive: true })
  const file = join(config.profileDir, `ui-${name}-${Date.now()}.cpuprofile`)
  await writeFile(file, JSON.stringify(profile))
  return file
}

/** Extra, uncounted: warm switches under the sampling profiler (250 µs); with BENCH_UI_TRACE_DIR, Chromium traces first. */
async function profilePass(page: Page, cdp: CDPSession, config: UiConfig, rendererDir: string): Promise<ProfileSummary[]> {
  const out: ProfileSummary[] = []
  if (config.traceDir) {
    await mkdir(config.traceDir, { recursive: true })
    const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'blink.user_timing', 'v8.execute', 'toplevel']
    const browser = page.context().browser()!
    const switchesTrace = join(config.traceDir, `ui-switches-${Date.now()}.json`)
    await browser.startTracing(page, { path: switchesTrace, categories })
    await switches(page, 3, config.big, config.small)
    await browser.stopTracing()
    await load(page)
    await measureSwitch(page, BIG_TITLE, config.big)
    await sleep(500)
    const scrollTrace = join(config.traceDir, `ui-scroll-${Date.now()}.json`)
    await browser.startTracing(page, { path: scrollTrace, categories })
    await page.evaluate<ScrollSample>(`window.__uiBench.scroll({ messages: ${envNumber('BENCH_UI_TRACE_SCROLL', 500)}, px: ${config.scrollPx}, timeoutMs: 300000 })`)
    await browser.stopTracing()
    log(`  traces: ${switchesTrace}, ${scrollTrace}`)
  }
  const n = 5
  await load(page)
  const a = await profiled(cdp, () => switches(page, n, config.big, config.small))
  out.push(summarize(a.profile, `${n} warm switches each way`, bundleModules(rendererDir), await keepProfile(config, 'switches', a.profile)))
  return out
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

export const UI_HEADING = '## UI (Chromium) (npm run bench:ui)'

const ms = (v: number, digits = 1): string => (Number.isFinite(v) ? `${fmt(v, digits)} ms` : 'n/a')
const row = (cells: string[]): string => `| ${cells.join(' | ')} |`
const mib = (v: number): string => `${fmt(v, 1)} MiB`
const met = (ok: boolean): string => (ok ? '**met**' : '**missed**')

interface MachineInfo {
  cpu: string
  cpus: string
  ram: string
  chromium: string
  node: string
  date: string
  renderer: string
  /** 1, 5 and 15-minute load averages when the measurements began. */
  load: number[]
}

function machineInfo(chromium: string, rendererDir: string): MachineInfo {
  const m = machine()
  let cpu = m.cpu
  let cpus = String(m.cores)
  let ram = `${m.ramGiB} GiB`
  try {
    const lscpu = execFileSync('lscpu', { encoding: 'utf8' })
    cpu = /^Model name:\s*(.+)$/m.exec(lscpu)?.[1]?.trim() ?? cpu
    cpus = /^CPU\(s\):\s*(.+)$/m.exec(lscpu)?.[1]?.trim() ?? cpus
    const hypervisor = /^Hypervisor vendor:\s*(.+)$/m.exec(lscpu)?.[1]?.trim()
    if (hypervisor) cpu += ` (${hypervisor} guest)`
  } catch {
    // no lscpu: keep /proc/cpuinfo's model
  }
  try {
    const total = /^Mem:\s+(\d+)/m.exec(execFileSync('free', ['-g'], { encoding: 'utf8' }))?.[1]
    if (total) ram = `${total} GiB (free -g)`
  } catch {
    // no free: keep os.totalmem()
  }
  const assets = join(rendererDir, 'assets')
  const bundle = readdirSync(assets).find((n) => n.endsWith('.js')) ?? '?'
  const built = statSync(join(assets, bundle)).mtime.toISOString().slice(0, 16).replace('T', ' ')
  return { cpu, cpus, ram, chromium, node: process.version, date: m.date, renderer: `${relative(process.cwd(), assets)}/${bundle}, built ${built} UTC`, load: loadavg() }
}

function switchRow(label: string, which: string, xs: Switch[]): string {
  const m = (f: (s: Switch) => number): number => median(xs.map(f))
  const max = (f: (s: Switch) => number): number => Math.max(...xs.map(f))
  return row([
    label,
    which,
    String(xs.length),
    `**${ms(m((s) => s.firstPaintMs))}**`,
    ms(max((s) => s.firstPaintMs)),
    ms(m((s) => s.domMs)),
    ms(m((s) => s.filledMs)),
    ms(max((s) => s.filledMs)),
    ms(m((s) => s.inputDelayMs)),
    `${fmt(m((s) => s.rowsAtFirstPaint))} / ${fmt(m((s) => s.rowsAtFilled))}`
  ])
}

/** The longest frame around each page load (a frame before to two after), by how many messages were scrolled through before it. */
function loadCostByWindow(s: ScrollSample, bucket = 2000): Array<{ from: number; to: number; loads: number; median: number; max: number; over: number }> {
  const out = new Map<number, number[]>()
  s.loadFrames.forEach((i, k) => {
    // The scroll had passed the first page plus k older ones when page k + 1 arrived.
    const loaded = (k + 1) * PAGE
    const worst = Math.max(...s.frames.slice(Math.max(0, i - 1), i + 3))
    const b = Math.floor((loaded - 1) / bucket)
    out.set(b, [...(out.get(b) ?? []), worst])
  })
  return [...out]
    .sort((a, b) => a[0] - b[0])
    .map(([b, xs]) => ({ from: b * bucket, to: (b + 1) * bucket, loads: xs.length, median: median(xs), max: Math.max(...xs), over: xs.filter((x) => x > FRAME_TARGET_MS).length }))
}

/** When other work on the machine took cores during the scrolls, what that did to the frame counts. */
function sharedNote(results: ModeResult[]): string[] {
  const others = Math.max(...results.map((r) => r.scroll.cores.others))
  if (!(others > 0.2)) return []
  const over = results.reduce((n, r) => n + frameStats(r.scroll.frames).over50, 0)
  const atLoads = results.reduce((n, r) => n + atLoad(r.scroll), 0)
  return [
    `- The machine was shared: other processes used up to ${fmt(others, 2)} of its ${availableParallelism()} cores during the scrolls (see *Cores used*), ` +
      `so frames also waited for a core. Of the ${over} frames over ${FRAME_TARGET_MS} ms, ${atLoads} were around a page load; the rest were ordinary ` +
      `scrolling frames, away from any page, whose own work averages the *Main thread busy* figure above. The page-load table shows whether the ` +
      `cost of a page grows with the distance scrolled.`
  ]
}

/** The page's errors over the run, counted by message. */
function errorSummary(results: ModeResult[]): string {
  const count = (xs: string[]): string => {
    const by = new Map<string, number>()
    for (const x of xs) by.set(x, (by.get(x) ?? 0) + 1)
    return [...by].map(([m, n]) => `${n} × "${m}"`).join(', ') || 'none'
  }
  return `uncaught or console: ${count(results.flatMap((r) => r.uncaught))}; error events: ${count(results.flatMap((r) => r.errorEvents))}`
}

/** Frames over the target within a frame before to two frames after a page was prepended. */
function atLoad(s: ScrollSample): number {
  const near = new Set<number>()
  for (const i of s.loadFrames) for (let k = i - 1; k <= i + 2; k++) near.add(k)
  return s.frames.reduce((n, f, i) => n + (f > FRAME_TARGET_MS && near.has(i) ? 1 : 0), 0)
}

function frameStats(frames: number[]): { p50: number; p95: number; p99: number; max: number; over50: number; over33: number; over20: number } {
  return {
    p50: quantile(frames, 0.5),
    p95: quantile(frames, 0.95),
    p99: quantile(frames, 0.99),
    max: Math.max(...frames),
    over50: frames.filter((f) => f > FRAME_TARGET_MS).length,
    over33: frames.filter((f) => f > 34).length,
    over20: frames.filter((f) => f > 20).length
  }
}

export function renderUi(results: ModeResult[], p: Prepared, config: UiConfig, info: MachineInfo): string {
  const lines = [
    UI_HEADING,
    '',
    '`npm run bench:ui` (after `npx electron-vite build`). Sizes, run counts and the scroll speed are environment variables (see the top of test/bench/ui-bench.ts).',
    '',
    `Measured ${info.date} on ${info.cpu}, ${info.cpus} CPUs, ${info.ram} RAM, ${info.chromium} (headless, \`--disable-gpu\`: software compositing), ` +
      `Node ${info.node}, ${process.platform}; renderer ${info.renderer}. Chromium, this process (core + host) and the server share the machine's cores; ` +
      `load average when the measurements began ${info.load.map((x) => fmt(x, 2)).join(' / ')} (1 / 5 / 15 min).`,
    '',
    `The account's cache holds ${p.conversations.length} conversations: ${p.conversations.map((c) => `*${c.title}* (${fmt(c.messages)} messages)`).join(', ')}, ` +
      `${fmt(p.chunkFiles)} chunk files (${fmt(p.cacheBytes / 2 ** 20, 1)} MiB), written directly in the core's format, with meta.json holding the server's ` +
      `own conversation objects (everything read but the *Unread* ones' newest messages) and cursors covering all of it; the server's store holds the same messages. Messages are text ` +
      `(${fmt(p.textChars)} characters on average), in runs by the same sender (a quarter mine), spread over a year; 4% are replies, 5% have reactions, ` +
      `3% carry a link, 1% are edited. The core (\`startClient\`: \`ClientCore\` with the file secret store) resumes the session from a refresh token ` +
      `and the Node host (\`startWebHost\`, built renderer) serves the page to Chromium (Playwright, viewport ${VIEWPORT.width}×${VIEWPORT.height}). ` +
      `*Offline*: the account points at a closed port, the cache is all there is. *Live*: it points at the running server (signed in, synced, nothing missed).`,
    '',
    '### Opening a conversation',
    '',
    `A click on the conversation in the sidebar (Playwright \`click()\` on its \`role=option\`). *First paint* is from the click event's \`timeStamp\` ` +
      `to the end of the first frame that painted the newest message's row (\`[data-seq]\`): a MutationObserver notes the row in the DOM, and a ` +
      `requestAnimationFrame loop checks after each frame's rendering (a MessageChannel message posted from the frame's rAF callback runs once that ` +
      `frame's style, layout and paint are done). *Full* is the first frame whose viewport is covered by rows with the newest at the bottom. ` +
      `*Cold*: the first opening after a page load; each load opens both, alternating which goes first. Once the sidebar is there, the renderer ` +
      `prefetches, while the page is idle, the newest page of ${PAGE} of the 10 most recent conversations (\`messages.page\` over the host's ` +
      `WebSocket; the benchmark clicks 500 ms after the sidebar shows), so the first opening renders from the store without a round trip, but ` +
      `with everything else done for the first time in the page. ` +
      `*Warm*: switching back and forth in the same page (the loaded window stays in the renderer's store, the list is mounted afresh). ` +
      `*After scrolling*: the same, once the long conversation has been scrolled up through ${fmt(config.scrollMessages)}+ messages (below): its window ` +
      `(at most ${fmt(MAX_WINDOW)} messages) no longer reaches the newest, so each opening asks the core for the newest page (a \`messages.page\` ` +
      `round trip) and mounts the list for it. ` +
      `*Unread*: ${config.unreadChats} conversations of ${fmt(UNREAD_MESSAGES)} messages whose newest ${config.unread} are unread, each opened once after a ` +
      `page load; the list opens at the first unread message (the "New messages" divider), so *first paint* and *full* are that row shown and the viewport ` +
      `covered. 250 ms pause after each opening.`,
    '',
    row(['Account / when', 'Conversation', 'Opens', 'First paint median', 'First paint max', 'Row in DOM median', 'Full median', 'Full max', 'Input → handler median', 'Rows at first paint / full']),
    row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:'])
  ]
  const bigLabel = `${BIG_TITLE} (${fmt(config.big)})`
  const unreadLabel = `${unreadTitle(0)}…${config.unreadChats} (${fmt(UNREAD_MESSAGES)}, ${config.unread} unread; at the first unread)`
  const smallLabel = `${SMALL_TITLE} (${fmt(config.small)})`
  for (const r of results) {
    for (const [label, set] of [
      ['cold', r.cold],
      ['warm', r.warm],
      ['after scrolling', r.afterScroll]
    ] as const) {
      lines.push(switchRow(`${r.mode} / ${label}`, bigLabel, set.big))
      lines.push(switchRow(`${r.mode} / ${label}`, smallLabel, set.small))
    }
    if (r.unread.length) lines.push(switchRow(`${r.mode} / unread, cold`, unreadLabel, r.unread))
  }
  const allBig = results.flatMap((r) => [...r.cold.big, ...r.warm.big, ...r.afterScroll.big])
  const worstMax = Math.max(...allBig.map((s) => s.firstPaintMs))
  const warmBig = results.flatMap((r) => r.warm.big.map((s) => s.firstPaintMs))
  const warmSmall = results.flatMap((r) => r.warm.small.map((s) => s.firstPaintMs))
  const coldBig = results.flatMap((r) => r.cold.big.map((s) => s.firstPaintMs))
  const coldSmall = results.flatMap((r) => r.cold.small.map((s) => s.firstPaintMs))
  const allMedian = median(allBig.map((s) => s.firstPaintMs))
  const warmAll = results.flatMap((r) => [...r.warm.big, ...r.afterScroll.big].map((s) => s.firstPaintMs))
  lines.push(
    '',
    `- First paint ≤ ${OPEN_TARGET_MS} ms after switching to the ${fmt(config.big)}-message conversation: ` +
      `${met(worstMax <= OPEN_TARGET_MS)}${worstMax <= OPEN_TARGET_MS ? '' : allMedian <= OPEN_TARGET_MS ? ' at the max (met at the median)' : ''}: ` +
      `median ${ms(allMedian)} over all ${allBig.length} openings, max ${ms(worstMax)}. ` +
      `Switching back to it (warm, before and after scrolling): median ${ms(median(warmAll))}, max ${ms(Math.max(...warmAll))}: ${met(Math.max(...warmAll) <= OPEN_TARGET_MS)}. ` +
      `The first opening after a page load (cold): median ${ms(median(coldBig))}, max ${ms(Math.max(...coldBig))}: ${met(Math.max(...coldBig) <= OPEN_TARGET_MS)}.`,
    `- Against the ${fmt(config.small)}-message conversation in the same runs: warm ${ms(median(warmBig))} vs ${ms(median(warmSmall))} ` +
      `(${fmt(median(warmBig) / median(warmSmall), 2)}×), cold ${ms(median(coldBig))} vs ${ms(median(coldSmall))} (${fmt(median(coldBig) / median(coldSmall), 2)}×): ` +
      `the length of the history does not change the cost of opening it (only one page of ${PAGE} is loaded and about a screenful rendered).`,
    `- Errors in the page over all of this run (openings and scrolls): ${errorSummary(results)}.`,
    ...(results.some((r) => r.unread.length)
      ? [
          `- Opening at the first unread message instead (not part of the target): median ${ms(median(results.flatMap((r) => r.unread.map((s) => s.firstPaintMs))))}, ` +
            `max ${ms(Math.max(...results.flatMap((r) => r.unread.map((s) => s.firstPaintMs))))}. The list is placed the same way (hidden, moved once a frame until the row is at the ` +
            `top), but the row is first reached by an estimate from the rows rendered at the top, which takes a frame or two more to correct.`
        ]
      : []),
    ''
  )

  lines.push(
    '### Scrolling up through 10,000 messages',
    '',
    `The long conversation opened afresh (a new page load; only its newest ${PAGE} messages loaded), then scrolled upward in the page by ` +
      `${config.scrollPx} px per frame (\`scrollTop -= ${config.scrollPx}\` in a requestAnimationFrame loop, ${fmt(config.scrollPx * 60)} px/s at 60 Hz; ` +
      `the main thread does the scrolling, so any main-thread stall shows as a long frame) until the row at the top of the viewport is ` +
      `${fmt(config.scrollMessages)} messages older than at the start; older pages of ${PAGE} load on the way (Virtuoso's \`startReached\` → \`messages.page\`). ` +
      `Frame time is the difference between consecutive rAF timestamps. *Stalled frames*: the list was at its top, waiting for the next older page. ` +
      `Main-thread time is from CDP \`Performance.getMetrics\` (renderer main thread) over the scroll; JS heap from the same (after a forced GC where noted). ` +
      `Long Animation Frames (LoAF, frames over 50 ms with script attribution) are observed during the scroll. When an older page arrives, the ` +
      `WebSocket message handler runs the store update, React's render and react-virtuoso's prepend (a lower \`firstItemIndex\`), in which ` +
      `react-virtuoso rebuilds its measured size ranges from every row it has measured (a cost growing faster than the rows). The renderer's ` +
      `window of a conversation holds at most ${fmt(MAX_WINDOW)} messages: a page prepended beyond that drops as many from the newest end ` +
      `(scrolling back down loads them again from the core), so the list, and that cost, stay the same however far the scroll goes: see the ` +
      `frame around each page's arrival by how far the scroll had gone, below.`,
    '',
    row(['Account', 'Messages passed', 'Time', 'Frames', 'p50', 'p95', 'p99', 'Max', 'Frames > 50 ms', 'of which at a page load', '> 34 ms (2+ vsyncs)', 'Stalled frames', 'Rows in DOM (max)', 'Main thread busy: script / layout / style / all', 'Cores used: ours / others']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:'])
  )
  const scrolls = results.flatMap((r) => [{ label: r.mode, s: r.scroll }, ...(r.scrollDown ? [{ label: `${r.mode}, back down (not in the target)`, s: r.scrollDown }] : [])])
  for (const { label, s } of scrolls) {
    const f = frameStats(s.frames)
    const perFrame = (v: number): string => `${fmt(v / s.frames.length, 1)}`
    lines.push(
      row([
        label,
        fmt(Math.abs(s.startSeq - s.endSeq)),
        `${fmt(s.elapsedMs / 1000, 1)} s`,
        fmt(s.frames.length),
        ms(f.p50),
        ms(f.p95),
        ms(f.p99),
        ms(f.max),
        `**${f.over50}**`,
        `${atLoad(s)} (${s.loadFrames.length} pages loaded)`,
        String(f.over33),
        String(s.stallFrames),
        `${fmt(Math.max(...s.rowSamples))} (min ${fmt(Math.min(...s.rowSamples))})`,
        `${perFrame(s.scriptMs)} / ${perFrame(s.layoutMs)} / ${perFrame(s.styleMs)} / ${perFrame(s.taskMs)} ms per frame (${fmt((s.taskMs / s.elapsedMs) * 100)}% of the time)`,
        `${fmt(s.cores.ours, 2)} / ${fmt(s.cores.others, 2)}`
      ])
    )
  }
  lines.push(
    '',
    `*Of which at a page load*: within a frame before to two frames after the list grew by an older page (back down: a newer one). ` +
      `*Back down*: right after the scroll up (and, offline, the profiled ${fmt(1000)} more), the same list scrolled down again by ${config.scrollPx} px per frame ` +
      `through ${fmt(config.scrollDown)} messages: the window, which dropped its newest end on the way up, loads the newer pages back from the core ` +
      `(Virtuoso's \`endReached\`) and drops its oldest end. *Cores used*: CPU time over the scroll ` +
      `of Chromium, this process (core + host) and the server (/proc, the benchmark's process tree), and of everything else on the machine ` +
      `(/proc/stat minus ours): other work sharing the 2 cores delays frames too.`,
    '',
    row(['Account', 'JS heap before (after GC)', 'After the scroll', 'After the scroll, after GC', 'DOM elements before → after', 'Scroll height before → after']),
    row(['---', '---:', '---:', '---:', '---:', '---:'])
  )
  for (const r of results) {
    const s = r.scroll
    lines.push(
      row([
        r.mode,
        mib(s.heapBefore.usedMiB),
        mib(s.heapAfter.usedMiB),
        mib(s.heapAfterGc.usedMiB),
        `${fmt(s.nodesStart)} → ${fmt(s.nodesEnd)}`,
        `${fmt(s.scrollHeightStart)} → ${fmt(s.scrollHeightEnd)} px`
      ])
    )
  }
  lines.push(
    '',
    `The frame around each older page's arrival, by how many messages the scroll had passed when it came (the list holds at most ${fmt(MAX_WINDOW)} of them; the longest frame from one before to two after it):`,
    '',
    row(['Account', 'Messages scrolled through before the page', 'Pages', 'Longest frame around it: median', 'max', 'over 50 ms']),
    row(['---', '---', '---:', '---:', '---:', '---:'])
  )
  for (const r of results) {
    for (const b of loadCostByWindow(r.scroll)) lines.push(row([r.mode, `${fmt(b.from)}–${fmt(b.to)}`, String(b.loads), ms(b.median), ms(b.max), String(b.over)]))
  }
  const over = results.reduce((n, r) => n + frameStats(r.scroll.frames).over50, 0)
  const worstFrame = Math.max(...results.map((r) => frameStats(r.scroll.frames).max))
  const rowsMax = Math.max(...results.flatMap((r) => r.scroll.rowSamples))
  lines.push(
    '',
    `- No frame over ${FRAME_TARGET_MS} ms while scrolling through ${fmt(config.scrollMessages)} messages: ${met(over === 0)} ` +
      `(${over} frame${over === 1 ? '' : 's'} over ${FRAME_TARGET_MS} ms in ${results.length} run${results.length === 1 ? '' : 's'} of ` +
      `${fmt(results.reduce((n, r) => n + r.scroll.frames.length, 0))} frames; longest ${ms(worstFrame)}).`,
    ...sharedNote(results),
    `- Virtualization: at most ${fmt(rowsMax)} message rows in the DOM in any frame, whatever the number loaded.`,
    `- The heap after GC grows by ${fmt(median(results.map((r) => ((r.scroll.heapAfterGc.usedMiB - r.scroll.heapBefore.usedMiB) * 2 ** 20) / Math.max(1, r.scroll.startSeq - r.scroll.endSeq))))} bytes ` +
      `per message scrolled through (median of the runs): the renderer keeps a window of at most ${fmt(MAX_WINDOW)} messages, not every page it passed; the DOM does not grow either.`
  )
  for (const r of results) {
    const loafs = r.scroll.loafs
    if (!r.scroll.loafSupported || loafs.length === 0) continue
    const worst = [...loafs].sort((a, b) => b.duration - a.duration).slice(0, 5)
    lines.push(
      `- ${r.mode}: ${loafs.length} Long Animation Frames (> 50 ms of work in a frame); the longest: ` +
        worst
          .map((l) => {
            const script = [...l.scripts].sort((a, b) => b.duration - a.duration)[0]
            const render = l.renderStart ? l.startTime + l.duration - l.renderStart : 0
            return `${ms(l.duration, 0)} (rendering ${ms(render, 0)}${script ? `; script ${ms(script.duration, 0)} in ${script.invoker}${script.sourceFunctionName ? ` / ${script.sourceFunctionName}` : ''}` : '; no script'})`
          })
          .join('; ') +
        '. LoAF durations are wall time: they include time the thread waited for a core.'
    )
    // A page's arrival is handled in the WebSocket message handler: its own script time, frame by frame.
    const onPage = loafs.flatMap((l) => l.scripts.filter((x) => x.invoker === 'DOMWebSocket.onmessage').map((x) => x.duration))
    if (onPage.length) {
      lines.push(
        `- ${r.mode}: ${onPage.length} of them ran script in DOMWebSocket.onmessage (a page arriving: the store update, React's render, Virtuoso's prepend): ` +
          `median ${ms(median(onPage), 0)}, max ${ms(Math.max(...onPage), 0)} of script.`
      )
    } else lines.push(`- ${r.mode}: none of them ran script in DOMWebSocket.onmessage (where a page's arrival is handled).`)
  }
  const profiles = results.flatMap((r) => r.profiles)
  if (profiles.length) {
    lines.push(
      '',
      '### Where the renderer\'s main thread goes',
      '',
      `Offline, not in the tables, under the CDP sampling profiler (250 µs) of the page: ${5} warm switches each way, and the counted scroll continued ` +
        `for 1,000 more messages (where its long frames are). A sample counts for the bundle module ` +
        `its function comes from (rolldown's \`// path\` module comments in the built bundle); native frames count for their nearest JS caller; ` +
        `*(program)* is the renderer's own work outside JS (style, layout, paint, compositing setup).`
    )
    for (const prof of profiles) {
      lines.push(
        '',
        `**${prof.label}**: ${ms(prof.wallMs, 0)} wall, main thread busy ${ms(prof.busyMs, 0)}${prof.file ? ` (profile kept in \`${prof.file}\`)` : ''}.`,
        '',
        row(['Area', 'Self time', 'Share of busy']),
        row(['---', '---:', '---:'])
      )
      for (const e of prof.byArea.filter((e) => e.name !== 'idle').slice(0, 12)) lines.push(row([e.name, ms(e.selfMs), `${fmt((e.selfMs / prof.busyMs) * 100)}%`]))
      lines.push('', row(['Top functions by self time', 'Self time']), row(['---', '---:']))
      for (const e of prof.byFunction.slice(0, 10)) lines.push(row([`\`${e.name}\``, ms(e.selfMs)]))
    }
  }
  lines.push(
    '',
    `Preparation (not measured): histories generated and written in ${fmt(p.prepareSeconds, 1)} s; the server indexed them for search in ${fmt(p.indexSeconds, 1)} s before any measurement.`,
    ''
  )
  return lines.join('\n')
}

export function updateUiDoc(body: string, path = DOC_PATH): void {
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n'
  const start = doc.indexOf(UI_HEADING)
  if (start === -1) {
    writeFileSync(path, `${doc.trimEnd()}\n\n${body}`)
    return
  }
  const next = doc.indexOf('\n## ', start + UI_HEADING.length)
  const rest = next === -1 ? '' : doc.slice(next + 1)
  writeFileSync(path, `${doc.slice(0, start)}${body}${rest ? `\n${rest}` : ''}`)
}

async function main(): Promise<void> {
  const config = uiConfig()
  const started = performance.now()
  if (!existsSync(join(config.rendererDir, 'index.html'))) throw new Error(`no built renderer in ${config.rendererDir}: run \`npx electron-vite build\` first`)
  let browser: Browser | null = null
  const results: ModeResult[] = []
  let prepared: Prepared | undefined
  let info: MachineInfo | undefined
  try {
    log(`UI benchmark: ${fmt(config.big)}-message conversation, ${config.switches} warm switches each way, scroll ${fmt(config.scrollMessages)} messages at ${config.scrollPx} px/frame`)
    prepared = await prepare(config)
    browser = await launchChromium()
    info = machineInfo(`Chromium ${browser.version()}`, config.rendererDir)
    log(`  ${info.cpu}, ${info.cpus} CPUs, ${info.ram}; ${info.chromium}; Node ${info.node}`)
    results.push(await runMode(browser, prepared, config, 'offline', config.rendererDir))
    if (config.live) results.push(await runMode(browser, prepared, config, 'live', config.rendererDir))
  } finally {
    await browser?.close().catch(() => undefined)
    for (const child of [...children]) await child.stop(5_000).catch(() => undefined)
    if (process.env['BENCH_KEEP_DATA'] === '1') log(`kept ${[...tempDirs].join(', ')}`)
    else for (const dir of tempDirs) await rm(dir, { recursive: true, force: true })
  }
  if (!prepared || !info) throw new Error('nothing was measured')
  const body = renderUi(results, prepared, config, info)
  log(`\n${body}`)
  if (process.env['BENCH_UI_NO_DOC'] !== '1') {
    updateUiDoc(body)
    log(`updated ${relative(process.cwd(), DOC_PATH)} in ${fmt((performance.now() - started) / 1000)} s`)
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(1)
  }
)
