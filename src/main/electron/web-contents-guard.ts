// Every web contents the app creates is held to the same rules: it never
// navigates away from the app, never opens a window (links go to the browser
// when safe), never attaches a <webview> (checklist items 11-15).
import type { WebContents } from 'electron'
import { openExternalSafely } from './external-links'

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>

export interface GuardOptions {
  openExternal: (url: string) => Promise<void>
  onBlocked: (what: string, url: string) => void
}

export function guardWebContents(contents: GuardedContents, options: GuardOptions): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault()
    options.onBlocked('navigation', url)
  })
  contents.on('will-redirect', (event, url) => {
    event.preventDefault()
    options.onBlocked('redirect', url)
  })
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
    options.onBlocked('webview', '')
  })
  contents.setWindowOpenHandler(({ url }) => {
    if (!openExternalSafely(options.openExternal, url, (err) => options.onBlocked(`openExternal failed: ${String(err)}`, url))) {
      options.onBlocked('new window', url)
    }
    return { action: 'deny' }
  })
}
