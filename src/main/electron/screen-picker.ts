// Screen sharing only through the app's own picker: the window lists the
// screens and windows (desktopCapturer), the user picks one, and the next
// getDisplayMedia of the app window gets that source, once. Without a choice
// (none made, cancelled, or already used) getDisplayMedia gets nothing.
// No runtime `electron` import: desktopCapturer is passed in, so this is unit-tested.
import type { DesktopCapturer, DesktopCapturerSource } from 'electron'
import type { ScreenSource } from '../../shared/ipc'
import { ClientError } from '../core/errors'
import type { ScreenHost } from '../core/screen-host'

/** Big enough to tell windows apart in the picker's grid, small enough to list twenty quickly. */
export const THUMBNAIL_SIZE = { width: 320, height: 180 }

type Capturer = Pick<DesktopCapturer, 'getSources'>
type Source = Pick<DesktopCapturerSource, 'id' | 'name'> & { thumbnail: { toDataURL(): string } }

export class ScreenPicker implements ScreenHost {
  /** The sources last listed: a choice must be one of them. */
  private listed = new Map<string, string>()
  private chosen: { id: string; name: string } | null = null

  constructor(private readonly capturer: Capturer) {}

  async sources(): Promise<ScreenSource[]> {
    const sources = (await this.capturer.getSources({ types: ['screen', 'window'], thumbnailSize: THUMBNAIL_SIZE })) as Source[]
    this.listed = new Map(sources.map((s) => [s.id, s.name]))
    return sources.map((s) => ({ id: s.id, name: s.name, kind: s.id.startsWith('screen:') ? 'screen' : 'window', thumbnail: s.thumbnail.toDataURL() }))
  }

  choose(sourceId: string | null): void {
    if (sourceId === null) {
      this.chosen = null
      return
    }
    const name = this.listed.get(sourceId)
    if (name === undefined) throw new ClientError('not_found', 'no such screen or window in the last list')
    this.chosen = { id: sourceId, name }
  }

  /** The source for the getDisplayMedia asking now; the choice is used up. */
  take(): { id: string; name: string } | null {
    const chosen = this.chosen
    this.chosen = null
    return chosen
  }
}
