import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { RateMeter } from '../../../src/main/core/transfers/rate'
import { candidateName, saveWithoutOverwrite } from '../../../src/main/core/transfers/save-as'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
})

describe('saving a download', () => {
  it('names copies "name (1).ext", keeping the extension and hidden names whole', () => {
    expect(candidateName('report.pdf', 0)).toBe('report.pdf')
    expect(candidateName('report.pdf', 1)).toBe('report (1).pdf')
    expect(candidateName('archive.tar.gz', 2)).toBe('archive.tar (2).gz')
    expect(candidateName('README', 1)).toBe('README (1)')
    expect(candidateName('.bashrc', 1)).toBe('.bashrc (1)')
  })

  it('never replaces a file that is there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'save-as-'))
    dirs.push(dir)
    await writeFile(join(dir, 'a.txt'), 'mine')
    await writeFile(join(dir, 'a (1).txt'), 'mine too')
    await writeFile(join(dir, 'part'), 'downloaded')
    expect(await saveWithoutOverwrite(join(dir, 'part'), dir, 'a.txt')).toBe(join(dir, 'a (2).txt'))
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('mine')
    expect(await readFile(join(dir, 'a (2).txt'), 'utf8')).toBe('downloaded')
    expect((await readdir(dir)).sort()).toEqual(['a (1).txt', 'a (2).txt', 'a.txt'])
  })
})

describe('RateMeter', () => {
  it('gives bytes per second over the last seconds', () => {
    let now = 0
    const meter = new RateMeter(() => now)
    expect(meter.rate()).toBe(0)
    meter.add(0)
    now = 1000
    meter.add(1000)
    expect(meter.rate()).toBe(1000)
    now = 10_000
    meter.add(20_000)
    // Old samples drop out: only the last moments count.
    expect(meter.rate()).toBeCloseTo(19_000 / 9, 0)
  })
})
