// A stand-in for an unpacked Electron (the real binary cannot be fetched
// here): an executable named `electron` that carries Electron's fuse wire,
// so electron-builder copies it, renames it and flips its fuses for real.
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** @electron/fuses finds the wire after this sentinel: version 1, then one byte per fuse. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
/** Nine fuses, as Electron 45 has, in the states Electron ships them ('1' on, '0' off). */
export const SHIPPED_WIRE = '101100001'

export async function makeFakeElectronDist(dir: string, version: string): Promise<string> {
  await mkdir(join(dir, 'resources'), { recursive: true })
  const script = Buffer.from('#!/bin/sh\necho "stand-in Electron: the real binary is not available here" >&2\nexit 1\n')
  const wire = Buffer.concat([Buffer.from(FUSE_SENTINEL), Buffer.from([1, SHIPPED_WIRE.length]), Buffer.from(SHIPPED_WIRE)])
  await writeFile(join(dir, 'electron'), Buffer.concat([script, wire]))
  await chmod(join(dir, 'electron'), 0o755)
  await writeFile(join(dir, 'version'), version)
  await writeFile(join(dir, 'LICENSE'), 'MIT (stand-in)\n')
  return dir
}
