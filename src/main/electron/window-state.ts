// The window's size and position, remembered between launches. A saved
// position that no longer fits a connected display (a monitor unplugged) is
// dropped and the window opens centred at its saved size.
import { join } from 'node:path'
import type { Rectangle } from 'electron'
import { z } from 'zod'
import { DurableJsonFile } from '../../node/json-file'
import { WINDOW_MIN_SIZE } from './window-options'

export const WindowState = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(WINDOW_MIN_SIZE.width).max(20_000),
  height: z.number().int().min(WINDOW_MIN_SIZE.height).max(20_000),
  maximized: z.boolean()
})
export type WindowState = z.infer<typeof WindowState>

/** At least this much of the title bar must be on a display for the saved position to be used. */
const VISIBLE_MIN = 48

/** The bounds to open with: the saved ones when they are on a display, else the saved size only. */
export function restoreBounds(saved: WindowState | null, workAreas: Rectangle[]): Partial<Rectangle> {
  if (!saved) return {}
  const onScreen = workAreas.some(
    (a) =>
      saved.x + saved.width - VISIBLE_MIN >= a.x &&
      saved.x + VISIBLE_MIN <= a.x + a.width &&
      saved.y >= a.y &&
      saved.y + VISIBLE_MIN <= a.y + a.height
  )
  const size = { width: saved.width, height: saved.height }
  return onScreen ? { ...size, x: saved.x, y: saved.y } : size
}

export class WindowStateFile {
  private readonly file: DurableJsonFile<unknown>

  constructor(userDataDir: string) {
    this.file = new DurableJsonFile(join(userDataDir, 'window-state.json'))
  }

  /** The saved state, or null when there is none or it is not valid. */
  async load(): Promise<WindowState | null> {
    const parsed = WindowState.safeParse(await this.file.read().catch(() => null))
    return parsed.success ? parsed.data : null
  }

  save(state: WindowState): Promise<void> {
    return this.file.write(state)
  }
}
