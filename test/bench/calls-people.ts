// The people of bench:calls: each has a Chromium of their own (launchServer,
// so its process tree, and so its CPU, can be read alone; fake camera and
// microphone), and a child process holding their client core and Node host;
// plus what they do in the window (open a conversation, start, accept and
// leave a call), found by the data-testids the e2e tests use.
import { chromium, type Browser, type BrowserServer, type Page } from '@playwright/test'
import { join } from 'node:path'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/browser'
import { PAGE_SCRIPT, type ConnectionSample, type FirstMedia } from './calls-page'
import { Child } from './rpc'
import { sleep } from './util'

export const MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']
const HOST_SCRIPT = join(import.meta.dirname, 'calls-host.ts')
const VIEWPORT = { width: 1200, height: 760 }
/** Any one step a person takes in the window (a card to show, a call to connect). */
export const STEP_MS = 30_000
/** The server lets a user start this many calls a minute (CALL_STARTS_PER_WINDOW); the benchmark keeps under it. */
const STARTS_PER_MINUTE = 9

export interface Person {
  name: string
  userId: string
  host: Child
  hostPid: number
  browserServer: BrowserServer
  browserPid: number
  browser: Browser
  page: Page
  /** When this person started calls (for the server's call:start limit). */
  starts: number[]
}

export interface Started {
  people: Person[]
  hosts: Child[]
  browsers: BrowserServer[]
}

/** Starts one person; what was started is added to `started` as it starts, so a failure still stops it all. */
export async function startPerson(name: string, serverUrl: string, rendererDir: string, started: Started): Promise<Person> {
  const host = new Child(HOST_SCRIPT, `host ${name}`)
  started.hosts.push(host)
  const { url, userId, pid: hostPid } = await host.call<{ url: string; userId: string; pid: number }>('start', { serverUrl, username: name, rendererDir })
  const browserServer = await chromium.launchServer({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...MEDIA_ARGS] })
  started.browsers.push(browserServer)
  const browserPid = browserServer.process().pid
  if (browserPid === undefined) throw new Error(`no pid for ${name}'s Chromium`)
  const browser = await chromium.connect(browserServer.wsEndpoint())
  const context = await browser.newContext({ viewport: VIEWPORT })
  await context.addInitScript(PAGE_SCRIPT)
  const page = await context.newPage()
  page.setDefaultTimeout(STEP_MS)
  await page.goto(url)
  await page.getByRole('button', { name: 'New chat' }).waitFor()
  await page.locator('[data-connection]').waitFor({ state: 'detached' })
  const person: Person = { name, userId, host, hostPid, browserServer, browserPid, browser, page, starts: [] }
  started.people.push(person)
  return person
}

export async function stopAll(started: Started): Promise<void> {
  for (const p of started.people) await p.browser.close().catch(() => undefined)
  for (const b of started.browsers) await b.close().catch(() => b.kill())
  // Hosts before the server (started first), so no core is left retrying a closed port.
  for (const h of [...started.hosts].reverse()) await h.stop()
}

export async function openConversation(p: Person, title: string): Promise<void> {
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  await p.page
    .getByRole('listbox', { name: 'Conversation list' })
    .getByRole('option', { name: new RegExp(`^${escaped}(, \\d+ unread)?$`) })
    .click()
  await p.page.getByRole('region', { name: 'Open conversation' }).getByRole('heading', { level: 1, name: title }).waitFor()
}

/** Clicks the open conversation's call button, first waiting out the server's start limit if needed. */
export async function startCall(p: Person, media: 'audio' | 'video'): Promise<void> {
  const now = Date.now()
  p.starts = p.starts.filter((t) => t > now - 61_000)
  if (p.starts.length >= STARTS_PER_MINUTE) await sleep(p.starts[0]! + 61_000 - now)
  p.starts.push(Date.now())
  await p.page.getByTestId(media === 'video' ? 'call-start-video' : 'call-start-audio').click()
  await p.page.getByTestId('call-view').waitFor()
}

export function ringCard(p: Person): ReturnType<Page['getByTestId']> {
  return p.page.getByTestId('incoming-call')
}

/** Accepts the one call ringing in this window (with the camera or not). */
export async function accept(p: Person, video: boolean): Promise<void> {
  await ringCard(p).getByTestId(video ? 'call-accept-video' : 'call-accept').click()
  await p.page.getByTestId('call-view').waitFor()
}

/** The call view shows `count` people (me included), every one connected. */
export async function waitConnected(p: Person, count: number, timeoutMs = STEP_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs
  const tiles = p.page.getByTestId('call-view').getByTestId('call-tile')
  for (;;) {
    const [all, connected] = await Promise.all([tiles.count(), tiles.and(p.page.locator('[data-peer-connection="connected"]')).count()])
    if (all === count && connected === count) return
    if (Date.now() > deadline) throw new Error(`${p.name}: ${connected} of ${all} tiles connected, not ${count}`)
    await sleep(200)
  }
}

export async function leave(p: Person): Promise<void> {
  await p.page.getByTestId('call-leave').click()
  await p.page.getByTestId('call-view').waitFor({ state: 'hidden' })
}

/** A notice left by the last call (busy, failed, …): its text, dismissed; null when there is none. */
export async function takeNotice(p: Person): Promise<string | null> {
  const notice = p.page.getByTestId('call-notice')
  if ((await notice.count()) === 0) return null
  const text = await notice.innerText()
  await notice.getByRole('button', { name: 'Dismiss' }).click()
  return text
}

export function arm(p: Person, video: boolean, pollMs: number): Promise<void> {
  return p.page.evaluate((o) => (window as unknown as { __callsBench: { arm(o: unknown): void } }).__callsBench.arm(o), { timeoutMs: STEP_MS, pollMs, video })
}

export function firstMedia(p: Person): Promise<FirstMedia> {
  return p.page.evaluate(() => (window as unknown as { __callsBench: { first: Promise<FirstMedia> } }).__callsBench.first)
}

export function connectionSamples(p: Person): Promise<ConnectionSample[]> {
  return p.page.evaluate(() => (window as unknown as { __callsBench: { sample(): Promise<ConnectionSample[]> } }).__callsBench.sample())
}
