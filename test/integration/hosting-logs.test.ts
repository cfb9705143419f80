// The hosted server's log file: the core's hosting controller writes the
// server's JSON lines to <userData>/logs/server.log, rotated at the size
// limit; and neither that file nor the core's own log holds the password,
// a token or the join code of what the two clients did.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { createLogger, jsonLines } from '../../src/main/core/logger'
import { PASSWORD, readSecrets, signUp, startClient, type TestClient } from '../helpers/client'
import { TEST_HOSTING } from '../helpers/hosting'

const cleanup: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

/** Every line a core logged, debug included. */
function coreLog(name: string): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = []
  return { lines, logger: createLogger(name, jsonLines((l) => lines.push(l)), true) }
}

describe('the hosted server log', () => {
  it('holds the server JSON lines in <userData>/logs/server.log, rotated, and no secret', async () => {
    const hostLog = coreLog('host')
    const host: TestClient = await startClient(undefined, { hosting: { ...TEST_HOSTING, logRotation: { size: '2K', keep: 3 } }, logger: hostLog.logger })
    cleanup.push(() => host.destroy())
    const running = await host.call('hosting.start', { port: 0, name: 'Logged office' })
    expect(running.state).toBe('running')
    const url = running.localUrl!

    await signUp(host, url)
    const group = await host.call('conversations.createGroup', { title: 'Office', memberIds: [] })
    const joinCode = (await host.call('conversations.createJoinCode', { conversationId: group.id })).code
    const colleagueLog = coreLog('colleague')
    const colleague = await startClient(undefined, { logger: colleagueLog.logger })
    cleanup.push(() => colleague.destroy())
    await colleague.call('server.trust', { serverUrl: url, fingerprint: running.fingerprint! })
    await signUp(colleague, url)
    expect((await colleague.call('conversations.join', { code: joinCode })).id).toBe(group.id)
    await colleague.call('messages.send', { conversationId: group.id, text: 'hello host' })
    await host.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'hello host'))
    const secrets = [PASSWORD, joinCode, ...Object.values(await readSecrets(host.userDataDir)), ...Object.values(await readSecrets(colleague.userDataDir))]
    await colleague.close()
    // Quitting the app stops the server and closes its log file.
    await host.close()

    const dir = join(host.userDataDir, 'logs')
    const files = (await readdir(dir)).sort()
    expect(files[0]).toBe('server.log')
    // Rotated at 2 KB: gzipped, newest .1, at most 3 kept.
    expect(files.slice(1)).toEqual(['server.log.1.gz', 'server.log.2.gz', 'server.log.3.gz'].slice(0, files.length - 1))
    expect(files.length).toBeGreaterThan(1)
    const texts = [
      ...(await Promise.all(files.slice(1).reverse().map(async (f) => gunzipSync(await readFile(join(dir, f))).toString('utf8')))),
      await readFile(join(dir, 'server.log'), 'utf8')
    ]
    const lines = texts.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.filter((l) => l['name'] !== 'messenger-server')).toEqual([])
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'request', method: 'POST', route: '/api/v1/join', status: 201, reqId: expect.any(String) }))
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped' })

    const everything = [...texts, ...hostLog.lines, ...colleagueLog.lines].join('\n')
    for (const secret of secrets.filter((s) => s.length >= 8)) expect(everything, `a secret (${secret.slice(0, 4)}…) is in a log`).not.toContain(secret)
    expect(everything).not.toMatch(/eyJ[\w-]+\.[\w-]+/)
  })
})
