// Preferences of this computer's app (not of the account): notifications,
// tray and start-up. Kept in <userData>/desktop-prefs.json and changed from
// the native menus, so they need no IPC method.
import { join } from 'node:path'
import { z } from 'zod'
import { DurableJsonFile } from '../../node/json-file'

export const DesktopPrefs = z.object({
  /** No notification at all while on. */
  doNotDisturb: z.boolean().default(false),
  /** Notifications say who wrote but not what. */
  hidePreviews: z.boolean().default(false),
  /** Closing the window keeps the app in the tray (Quit from the tray or menu ends it). */
  closeToTray: z.boolean().default(false),
  /** Open to the tray, without the window. */
  startMinimized: z.boolean().default(false),
  startAtLogin: z.boolean().default(false)
})
export type DesktopPrefs = z.infer<typeof DesktopPrefs>
export type DesktopPrefName = keyof DesktopPrefs

export class DesktopPrefsFile {
  private readonly file: DurableJsonFile<unknown>
  private value: DesktopPrefs = DesktopPrefs.parse({})
  private readonly listeners = new Set<(prefs: DesktopPrefs) => void>()

  constructor(userDataDir: string) {
    this.file = new DurableJsonFile(join(userDataDir, 'desktop-prefs.json'))
  }

  /** Reads the file; a missing or damaged one gives the defaults. */
  async load(): Promise<DesktopPrefs> {
    const parsed = DesktopPrefs.safeParse((await this.file.read().catch(() => null)) ?? {})
    this.value = parsed.success ? parsed.data : DesktopPrefs.parse({})
    return this.value
  }

  get(): DesktopPrefs {
    return this.value
  }

  async set<K extends DesktopPrefName>(name: K, value: DesktopPrefs[K]): Promise<DesktopPrefs> {
    this.value = { ...this.value, [name]: value }
    for (const listener of this.listeners) listener(this.value)
    await this.file.write(this.value)
    return this.value
  }

  onChange(listener: (prefs: DesktopPrefs) => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }
}
