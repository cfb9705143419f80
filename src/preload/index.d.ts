import type { MessengerApi } from './api'

declare global {
  interface Window {
    messenger: MessengerApi
  }
}
