// The end-to-end fixture: a fresh server per test (its own temp data
// directory), and users who each get their own client core, Node host and
// browser context, the way one person runs the app on their own computer.
// Everything a test starts is torn down after it, pass or fail.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { test as base, expect, type BrowserContext, type Locator, type Page } from '@playwright/test'
import { silentLogger } from '../../src/main/core/logger'
import { startWebHost, staticRenderer, type WebHost } from '../../src/main/web/host'
import { PASSWORD, startClient, type TestClient } from '../helpers/client'
import type { MessengerServerOptions } from '../../server'
import { startServer, type TestServer } from '../helpers/server'
import type { HostingOptions } from '../../src/main/core/hosting/controller'

export { expect } from '@playwright/test'
export { PASSWORD }

const RENDERER_DIR = join(__dirname, '../../out/renderer')

export interface User {
  /** The display name others see ("Alice"). */
  name: string
  /** The username: the name in lower case ("alice"). */
  username: string
  page: Page
  context: BrowserContext
  /** This user's client core (the main process's logic), for setting up data quickly. */
  client: TestClient
  host: WebHost
  /** The app quits: the page, the host and the core close (the core's data stays until the test ends). */
  quit(): Promise<void>
}

export interface UserOptions {
  /** Sign up through the UI (default), or leave the page at the first-run screen. */
  signUp?: boolean
  username?: string
  /** This user's app can host the bundled server. */
  hosting?: HostingOptions
  /** The browser's language (the system's, as the window sees it); Chromium's default is en-US. */
  locale?: string
}

export interface Messenger {
  /** The server's address as a user types it ("http://127.0.0.1:PORT"). */
  readonly serverUrl: string
  readonly server: TestServer
  /** A new person with their own app; signed up through the UI unless `signUp: false`. */
  user(name: string, options?: UserOptions): Promise<User>
  /** Stops the server (its data stays). */
  stopServer(): Promise<void>
  /** Starts the server again on the same port with the same data. */
  restartServer(): Promise<void>
}

interface Started {
  client: TestClient
  pageErrors: string[]
  quit: () => Promise<void>
}

export const test = base.extend<{ messenger: Messenger; serverOptions: Partial<MessengerServerOptions> }>({
  /** The server's options for a spec (`test.use({ serverOptions })`), e.g. low send limits. */
  serverOptions: [{}, { option: true }],
  messenger: async ({ browser, serverOptions }, use, testInfo) => {
    if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('build the renderer first: npx electron-vite build')
    let server = await startServer(serverOptions)
    const port = Number(new URL(server.url).port)
    const started: Started[] = []

    const messenger: Messenger = {
      get serverUrl() {
        return server.url
      },
      get server() {
        return server
      },
      async user(name, options = {}) {
        const username = options.username ?? name.toLowerCase()
        const client = await startClient(undefined, options.hosting ? { hosting: options.hosting } : {})
        let host: WebHost | null = null
        let context: BrowserContext | null = null
        let quitting: Promise<void> | null = null
        const pageErrors: string[] = []
        const quit = (): Promise<void> =>
          (quitting ??= (async () => {
            await context?.close()
            await host?.close()
            await client.close()
          })())
        // Registered before anything else can fail, so the core is always closed and removed.
        started.push({ client, pageErrors, quit })
        host = await startWebHost({ core: client.core, renderer: () => staticRenderer(RENDERER_DIR), log: silentLogger })
        context = await browser.newContext({ viewport: { width: 1200, height: 760 }, ...(options.locale ? { locale: options.locale } : {}) })
        const page = await context.newPage()
        page.on('pageerror', (err) => pageErrors.push(`${name}: ${err.message}`))
        const user: User = { name, username, page, context, client, host, quit }
        await page.goto(host.url)
        if (options.signUp === false) {
          // (In the page's language: a spec with a locale checks the words itself.)
          await expect(options.locale ? page.locator('.first-run-card form') : page.getByLabel('Server address or invite link')).toBeVisible()
        } else {
          await signUpInUi(page, server.url, username, name)
        }
        return user
      },
      async stopServer() {
        await server.stop()
      },
      async restartServer() {
        await server.stop()
        server = await startServer({ ...serverOptions, port }, server.dataDir)
      }
    }

    await use(messenger)

    // Teardown: every step runs even if one fails; the first failure is reported after.
    const failures: unknown[] = []
    const attempt = async (step: () => Promise<unknown>): Promise<void> => {
      try {
        await step()
      } catch (err) {
        failures.push(err)
      }
    }
    // (Screenshots of every open page at a failure: `screenshot: 'only-on-failure'` in the config.)
    for (const entry of started) await attempt(entry.quit)
    for (const entry of started) await attempt(() => entry.client.destroy())
    await attempt(() => server.destroy())
    const pageErrors = started.flatMap((e) => e.pageErrors)
    if (failures.length) throw failures[0]
    if (pageErrors.length && testInfo.status === testInfo.expectedStatus) {
      throw new Error(`uncaught errors in the page:\n${pageErrors.join('\n')}`)
    }
  }
})

// ---------------------------------------------------------------- what a user does and sees

/** First run: server address, then Create account. Resolves once the main window is connected. */
export async function signUpInUi(page: Page, serverUrl: string, username: string, displayName: string): Promise<void> {
  await chooseServer(page, serverUrl)
  await page.getByRole('tab', { name: 'Create account' }).click()
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Your name (as others see it)').fill(displayName)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible()
  await expectOnline(page)
}

/** First run, first step: type the address and Continue. */
export async function chooseServer(page: Page, address: string): Promise<void> {
  await page.getByLabel('Server address or invite link').fill(address)
  await page.getByRole('button', { name: 'Continue' }).click()
}

/** The connection bar is gone: online and caught up. */
export async function expectOnline(page: Page): Promise<void> {
  await expect(page.locator('[data-connection]')).toHaveCount(0)
}

/** New chat → find the person → their name: the chat opens. */
export async function startDirectChat(page: Page, with_: User): Promise<void> {
  await page.getByRole('button', { name: 'New chat' }).click()
  const dialog = page.getByRole('dialog', { name: 'New chat' })
  await dialog.getByLabel('Find a person').fill(with_.username)
  await dialog.getByRole('button', { name: `Chat with ${with_.name}` }).click()
  await expect(dialog).toBeHidden()
  await expect(conversationTitle(page)).toHaveText(with_.name)
}

/** The conversation in the sidebar whose title is exactly `title` (with or without an unread count and a mention count). */
export function sidebarRow(page: Page, title: string): Locator {
  return page
    .getByRole('listbox', { name: 'Conversation list' })
    .getByRole('option', { name: new RegExp(`^${escapeRe(title)}(, \\d+ unread)?( ?, \\d+ mentions?)?$`) })
}

export async function openConversation(page: Page, title: string): Promise<void> {
  await sidebarRow(page, title).click()
  await expect(conversationTitle(page)).toHaveText(title)
}

/** The open conversation's title in its header. */
export function conversationTitle(page: Page): Locator {
  return page.getByRole('region', { name: 'Open conversation' }).getByRole('heading', { level: 1 })
}

export function messageLog(page: Page): Locator {
  return page.getByRole('log', { name: 'Messages' })
}

/** Rows of messages the server has (data-seq) whose own text (not a quoted reply) contains `text`. */
export function messageRows(page: Page, text: string): Locator {
  return messageLog(page).locator('[data-seq]').filter({ has: page.locator('.message-text', { hasText: text }) })
}

/** Opens the menu of the (last) message with this text from its "…" button; answers the menu. */
export async function openMessageMenu(page: Page, text: string): Promise<Locator> {
  const row = messageRows(page, text).last()
  await row.hover()
  await row.getByRole('button', { name: 'More actions' }).click()
  const menu = page.getByRole('menu', { name: 'Message actions' })
  await expect(menu).toBeVisible()
  return menu
}

/** Picks an item of a message's menu ("Pin", "Save", …). */
export async function messageMenuItem(page: Page, text: string, item: string): Promise<void> {
  await (await openMessageMenu(page, text)).getByRole('menuitem', { name: item, exact: true }).click()
}

/** Rows of my messages still waiting to be sent (data-client-id). */
export function pendingRows(page: Page, text: string): Locator {
  return messageLog(page).locator('[data-client-id]').filter({ has: page.locator('.message-text', { hasText: text }) })
}

/** The text of every message on screen, top to bottom. */
export function messageTexts(page: Page): Locator {
  return messageLog(page).locator('[data-seq] .message-text')
}

/** Types into the composer and presses Enter; resolves once the server has the message. */
export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Write a message' })
  await box.fill(text)
  await box.press('Enter')
  await expect(box).toHaveValue('')
  await expect(messageRows(page, text).last()).toBeVisible()
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** New group → name → add each person → Create group: the group opens. */
export async function createGroup(page: Page, title: string, members: string[]): Promise<void> {
  await page.getByRole('button', { name: 'New group' }).click()
  const dialog = page.getByRole('dialog', { name: 'New group' })
  await dialog.getByLabel('Group name').fill(title)
  for (const name of members) {
    await dialog.getByLabel('Add people').fill(name.toLowerCase())
    await dialog.getByRole('button', { name: `Add ${name}` }).click()
    await expect(dialog.getByRole('list', { name: /Members/ }).getByRole('listitem').filter({ hasText: name })).toBeVisible()
  }
  await dialog.getByRole('button', { name: 'Create group' }).click()
  await expect(dialog).toBeHidden()
  await expect(conversationTitle(page)).toHaveText(title)
}

/** Files wait in a preview before they go (FilePreviewDialog): its Send. Resolves once the dialog has closed. */
export async function sendPreviewedFiles(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog', { name: /^Send (a file|\d+ files)$/ })
  await dialog.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(dialog).toBeHidden()
}
