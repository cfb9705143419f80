import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppearanceFile } from '../../../src/main/core/appearance'
import type { Appearance } from '../../../src/shared/schemas/appearance'
import { IPC_METHODS } from '../../../src/shared/ipc'

describe('AppearanceFile', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'appearance-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('starts at the system theme, normal text and the system language, keeps a change across reopening, and tells the host each time', async () => {
    const heard: Appearance[] = []
    const first = await AppearanceFile.open(dir, (a) => heard.push(a))
    expect(first.get()).toEqual({ theme: 'system', textSize: 'normal', language: 'system' })
    expect(await first.set({ theme: 'dark' })).toEqual({ theme: 'dark', textSize: 'normal', language: 'system' })
    await first.set({ textSize: 'larger' })
    await first.set({ language: 'de' })
    const again = await AppearanceFile.open(dir, (a) => heard.push(a))
    expect(again.get()).toEqual({ theme: 'dark', textSize: 'larger', language: 'de' })
    expect(heard.map((a) => a.theme)).toEqual(['system', 'dark', 'dark', 'dark', 'dark'])
  })

  it('reads a damaged or unknown value as the default', async () => {
    await writeFile(join(dir, 'appearance.json'), '{"theme":"purple","textSize":"large","language":"tlh"}')
    expect((await AppearanceFile.open(dir)).get()).toEqual({ theme: 'system', textSize: 'large', language: 'system' })
    // A file from before languages were chosen.
    await writeFile(join(dir, 'appearance.json'), '{"theme":"dark","textSize":"large"}')
    expect((await AppearanceFile.open(dir)).get()).toEqual({ theme: 'dark', textSize: 'large', language: 'system' })
    await writeFile(join(dir, 'appearance.json'), 'not json')
    expect((await AppearanceFile.open(dir)).get()).toEqual({ theme: 'system', textSize: 'normal', language: 'system' })
  })

  it('the IPC request takes only known values, at least one', () => {
    const schema = IPC_METHODS['app.setAppearance'].request
    expect(schema.safeParse({ theme: 'light' }).success).toBe(true)
    expect(schema.safeParse({ theme: 'purple' }).success).toBe(false)
    expect(schema.safeParse({}).success).toBe(false)
    expect(schema.safeParse({ textSize: 'huge' }).success).toBe(false)
    expect(schema.safeParse({ language: 'de' }).success).toBe(true)
    expect(schema.safeParse({ language: 'fr' }).success).toBe(false)
  })
})
