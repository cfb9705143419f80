// The app's log files: the core logger's JSON lines land in <userData>/logs,
// rotate at the size limit into gzipped files, keep only as many as asked,
// and never hold a password or token a log call passed by mistake.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LOG_ROTATION, logsDirOf, openLogFile } from '../../../src/main/core/log-files'
import { createLogger, jsonLines, textLines } from '../../../src/main/core/logger'

let userData: string
beforeEach(async () => {
  userData = await mkdtemp(join(tmpdir(), 'messenger-logs-'))
})
afterEach(() => rm(userData, { recursive: true, force: true }))

const parse = (text: string): Record<string, unknown>[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>)

describe('log files', () => {
  it('rotate at 10 MB and keep 5 compressed files by default', () => {
    expect(LOG_ROTATION).toEqual({ size: '10M', keep: 5 })
    expect(logsDirOf('/home/ann/.config/LAN Messenger')).toBe(join('/home/ann/.config/LAN Messenger', 'logs'))
  })

  it('hold the core logger as JSON lines in pino shape, in <userData>/logs', async () => {
    const file = openLogFile(logsDirOf(userData), 'main.log')
    const log = createLogger('main', jsonLines((line) => file.write(line)), true)
    log.child('core').info('signed in', { accountId: 'a1' })
    log.debug('window shown')
    log.error('could not save', { err: new Error('disk full') })
    await file.close()
    expect(file.path).toBe(join(userData, 'logs', 'main.log'))
    const lines = parse(await readFile(file.path, 'utf8'))
    expect(lines).toEqual([
      { level: 30, time: expect.any(Number), name: 'main:core', msg: 'signed in', accountId: 'a1' },
      { level: 20, time: expect.any(Number), name: 'main', msg: 'window shown' },
      { level: 50, time: expect.any(Number), name: 'main', msg: 'could not save', err: { name: 'Error', message: 'disk full' } }
    ])
  })

  it('rotate at the size limit into gzipped files, newest first, keeping only as many as asked', async () => {
    const dir = logsDirOf(userData)
    const file = openLogFile(dir, 'main.log', { size: '1K', keep: 2 })
    const log = createLogger('main', jsonLines((line) => file.write(line)))
    // About 100 bytes a line: 60 lines are over 5 KB, so the file rotates four or five times.
    for (let i = 0; i < 60; i++) {
      log.info('event', { i, pad: 'x'.repeat(40) })
    }
    await file.close()
    expect((await readdir(dir)).sort()).toEqual(['main.log', 'main.log.1.gz', 'main.log.2.gz'])
    const newest = parse(gunzipSync(await readFile(join(dir, 'main.log.1.gz'))).toString('utf8'))
    const older = parse(gunzipSync(await readFile(join(dir, 'main.log.2.gz'))).toString('utf8'))
    const current = parse(await readFile(join(dir, 'main.log'), 'utf8'))
    const order = [...older, ...newest, ...current].map((l) => l['i'])
    // What is kept is the end of the log, in order, with nothing lost between the files.
    expect(order.at(-1)).toBe(59)
    expect(order).toEqual(Array.from({ length: order.length }, (_, k) => 60 - order.length + k))
    for (const rotated of [older, newest]) expect(rotated.reduce((n, l) => n + JSON.stringify(l).length + 1, 0)).toBeGreaterThanOrEqual(1024)
  })

  it('a folder that cannot be made means no file and one report, never an exception', async () => {
    await writeFile(join(userData, 'logs'), 'a file where the folder should be')
    const errors: Error[] = []
    const file = openLogFile(logsDirOf(userData), 'main.log', LOG_ROTATION, (err) => errors.push(err))
    file.write('{"msg":"lost"}')
    await file.close()
    expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['EEXIST'])
  })

  it('a line after close is dropped, not an error', async () => {
    const file = openLogFile(logsDirOf(userData), 'main.log')
    file.write('{"msg":"before"}')
    await file.close()
    file.write('{"msg":"after"}')
    expect(await readFile(file.path, 'utf8')).toBe('{"msg":"before"}\n')
  })
})

describe('the core logger', () => {
  it('never writes a password, token, cookie or code passed under its usual names, in either format', () => {
    const out: string[] = []
    const log = createLogger('main', [jsonLines((l) => out.push(l)), textLines((l) => out.push(l))])
    log.warn('request failed', {
      body: { username: 'ann', password: 'hunter2 hunter2', inviteCode: 'INV1TE0001' },
      accessToken: 'eyJhbGciOi.secret',
      refreshToken: 'rt-secret-value',
      headers: { Authorization: 'Bearer at-secret', cookie: 'sid=c-secret' },
      code: 'unauthorized'
    })
    const text = out.join('\n')
    for (const secret of ['hunter2', 'INV1TE0001', 'eyJhbGciOi', 'rt-secret', 'at-secret', 'c-secret']) expect(text).not.toContain(secret)
    // Error codes are not secrets.
    expect(text).toContain('unauthorized')
    expect(text).toContain('ann')
  })
})
