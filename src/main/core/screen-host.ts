// What a host lends the core for screen sharing: Electron lists screens and
// windows for the app's own picker and hands the chosen one to the next
// getDisplayMedia. The Node host lends nothing (the browser has its picker).
import type { ScreenSource } from '../../shared/ipc'

export interface ScreenHost {
  sources(): Promise<ScreenSource[]>
  /** The source the next getDisplayMedia gets; null: the picker was cancelled. Throws not_found for a source not listed. */
  choose(sourceId: string | null): void
}
