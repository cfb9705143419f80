import type { MessengerApi } from '../shared/ipc'

declare global {
  interface Window {
    /** The renderer's only door to the main process (src/shared/ipc.ts). */
    messenger: MessengerApi
  }
}
