// What a host (Electron) lends the core for files: dialogs and the shell.
// The Node host has none of them: its page stages bytes over HTTP and
// downloads saved files through the host instead.
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../../../node/fsync'

export interface FileHost {
  /** Files picked in a dialog (empty when cancelled). */
  pickFiles?: () => Promise<string[]>
  /** The page can name files by path (Electron's dropped and pasted files); the browser's page has no paths. */
  pagePaths?: boolean
  /** A folder picked in a dialog, or null when cancelled. */
  chooseDirectory?: () => Promise<string | null>
  openPath?: (path: string) => Promise<void>
  showInFolder?: (path: string) => void
  /** Where to save an export, asked in a save dialog (null when cancelled). */
  saveFile?: (suggestedName: string) => Promise<string | null>
  /** A JSON export (.zip) to open, picked in a dialog (null when cancelled). */
  pickExport?: () => Promise<string | null>
}

const Saved = z.object({ directory: z.string().min(1) })

/** The download folder: the user's choice, kept in the app's data folder, or ~/Downloads. */
export class DownloadDir {
  private constructor(
    private readonly file: string,
    private directory: string
  ) {}

  static async open(userDataDir: string, fallback = join(homedir(), 'Downloads')): Promise<DownloadDir> {
    const file = join(userDataDir, 'download-dir.json')
    const saved = await readFile(file, 'utf8')
      .then((text) => Saved.safeParse(JSON.parse(text)))
      .catch(() => null)
    return new DownloadDir(file, saved?.success ? saved.data.directory : fallback)
  }

  get(): string {
    return this.directory
  }

  async set(directory: string): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify({ directory }))
    this.directory = directory
  }
}
