import './i18n'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { connectWebBridge } from './bridge/web-bridge'
import { exposeCallsTestHook } from './calls/test-hook'
import { startBrowserNotifications } from './services/browser-notifications'
import { bindStore } from './store/bind'
import { useStore } from './store'
import './styles/theme.css'

// In Electron the preload has defined window.messenger; in a browser the Node host's bridge does.
const inBrowser = !('messenger' in window)
if (inBrowser) {
  Object.defineProperty(window, 'messenger', { value: connectWebBridge(), writable: false })
  // Only the browser host (development, Playwright): the e2e tests read the calls' WebRTC counters through it.
  exposeCallsTestHook(useStore)
}

void bindStore()
// Electron shows native notifications from main; a browser tab shows its own (and its unread count in the title).
if (inBrowser) startBrowserNotifications()

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>
  )
}
