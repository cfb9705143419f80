import './i18n'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { connectWebBridge } from './bridge/web-bridge'
import { bindStore } from './store/bind'
import './styles/theme.css'

// In Electron the preload has defined window.messenger; in a browser the Node host's bridge does.
if (!('messenger' in window)) {
  Object.defineProperty(window, 'messenger', { value: connectWebBridge(), writable: false })
}

void bindStore()

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>
  )
}
