// The server's logger: pino-pretty only when asked for and installed (a
// development dependency, absent from packaged builds), JSON lines otherwise;
// secrets under known keys redacted whatever a log call passes.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger, openLogger } from '../../../server/logger'

/** A real stream (pino-pretty pipes into it) that keeps what it is given. */
function memory(): Writable & { text: () => string } {
  let text = ''
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += String(chunk)
      done()
    }
  })
  return Object.assign(stream, { text: () => text })
}

describe('the server logger', () => {
  it('falls back to JSON lines, with a warning, when pino-pretty is not installed', async () => {
    const out = memory()
    const missing = Object.assign(new Error("Cannot find package 'pino-pretty'"), { code: 'ERR_MODULE_NOT_FOUND' })
    const log = await openLogger({ pretty: true, destination: out }, () => Promise.reject(missing))
    log.info({ port: 7450 }, 'listening')
    const [warning, line] = out.text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(warning).toMatchObject({ level: 40, msg: expect.stringContaining('pino-pretty is not installed') })
    expect(line).toMatchObject({ level: 30, port: 7450, msg: 'listening' })
  })

  it('writes human lines through pino-pretty when asked and installed (development)', async () => {
    const out = memory()
    const log = await openLogger({ pretty: true, destination: out })
    log.info({ port: 7450 }, 'listening')
    expect(out.text()).toContain('listening')
    expect(() => JSON.parse(out.text().trim().split('\n')[0] ?? '')).toThrow()
  })

  it('writes JSON lines unless asked for pretty ones', async () => {
    const out = memory()
    ;(await openLogger({ destination: out })).info('started')
    expect(JSON.parse(out.text())).toMatchObject({ msg: 'started', name: 'messenger-server' })
  })

  it('redacts passwords, tokens, authorization headers and cookies that a log call passes', () => {
    const out = memory()
    createLogger({ destination: out }).warn(
      { password: 'hunter2 hunter2', body: { refreshToken: 'rt-secret' }, req: { headers: { authorization: 'Bearer at-secret', cookie: 'sid=c-secret' } } },
      'oops'
    )
    for (const secret of ['hunter2', 'rt-secret', 'at-secret', 'c-secret']) expect(out.text()).not.toContain(secret)
    expect(out.text()).toContain('[redacted]')
  })

  it('never imports pino-pretty statically: packaged builds do not ship it', async () => {
    const files = (await readdir('server', { recursive: true })).filter((f) => f.endsWith('.ts'))
    for (const file of files) expect(await readFile(join('server', file), 'utf8'), file).not.toMatch(/^import[^\n]*['"]pino-pretty['"]/m)
  })
})
