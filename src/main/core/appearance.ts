// The window's theme and text size on this device: appearance.json in the
// app's data folder, shared by every account. The host hears each change
// (Electron sets nativeTheme.themeSource, so menus and the title bar follow).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../../node/fsync'
import { Appearance, DEFAULT_APPEARANCE } from '../../shared/schemas/appearance'

export type AppearanceListener = (appearance: Appearance) => void

export class AppearanceFile {
  private constructor(
    private readonly file: string,
    private value: Appearance,
    private readonly listener: AppearanceListener | undefined
  ) {}

  /** Reads the file (a missing or damaged one gives the defaults) and tells the host once. */
  static async open(userDataDir: string, listener?: AppearanceListener): Promise<AppearanceFile> {
    const file = join(userDataDir, 'appearance.json')
    const saved = await readFile(file, 'utf8')
      .then((text) => Appearance.safeParse(JSON.parse(text)))
      .catch(() => null)
    const appearance = new AppearanceFile(file, saved?.success ? saved.data : DEFAULT_APPEARANCE, listener)
    listener?.(appearance.value)
    return appearance
  }

  get(): Appearance {
    return this.value
  }

  async set(change: Partial<Appearance>): Promise<Appearance> {
    const next = { ...this.value, ...change }
    await writeFileAtomic(this.file, JSON.stringify(next))
    this.value = next
    this.listener?.(next)
    return next
  }
}
