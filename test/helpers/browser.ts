// Debian's Chromium driven by Playwright (never a downloaded browser), with
// the flags this closed network needs.
import { existsSync } from 'node:fs'
import { chromium, type Browser } from '@playwright/test'

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH)
}

/** No sandbox in containers, no GPU, and nothing that calls home on this closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
]

/**
 * Calls: a fake camera and microphone (a test pattern and a beep), and every
 * permission prompt (camera, microphone, screen) answered yes.
 */
export const FAKE_MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] })
}
