// Client crash: the client core's process is killed (SIGKILL, through its
// MESSENGER_CRASH_AT hook) after a message is written to the outbox but before
// it is sent, after the server acknowledged it but before the cache has it,
// and after the cache has it but before the outbox lets it go. After a
// restart each message is on the server once and in the cache once.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CrashPoint } from '../../src/main/core/crash-point'
import type { Message } from '../../src/shared/schemas/messages'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import type { Step } from './helpers/client-process'
import { allMessages } from './helpers/history'
import { scale } from './helpers/soak'

const ROUNDS = scale('RELIABILITY_CLIENT_CRASH_ROUNDS', 1, 10)
const POINTS: CrashPoint[] = ['outbox-written', 'acked-not-cached', 'cached-not-removed']
const ROOT = resolve(import.meta.dirname, '../..')
const SCRIPT = 'test/reliability/helpers/client-process.ts'

let srv: TestServer
let user: TestUser
let conversationId: string
let userDataDir: string

interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  answer: { ok: boolean; messages?: Message[] } | null
  stderr: string
}

function run(step: Step, crashAt?: CrashPoint): Promise<Run> {
  const env = { ...process.env, MESSENGER_CRASH_AT: crashAt ?? '' }
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify(step)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  return new Promise((done) =>
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      const last = stdout.trim().split('\n').at(-1) ?? ''
      let answer: Run['answer']
      try {
        answer = JSON.parse(last) as Run['answer']
      } catch {
        answer = null
      }
      done({ code, signal, answer, stderr })
    })
  )
}

beforeAll(async () => {
  srv = await startServer()
  user = await register(srv.url)
  const other = await register(srv.url)
  const chat = await api(srv.url, 'POST', '/conversations', { token: user.accessToken, body: { kind: 'direct', userId: other.user.id } })
  conversationId = chat.body.conversation.id as string
  userDataDir = await mkdtemp(join(tmpdir(), 'messenger-client-crash-'))
  const login = await run({ step: 'login', userDataDir, serverUrl: srv.url, username: user.user.username, password: user.password })
  if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`)
})
afterAll(async () => {
  await srv.destroy()
  await rm(userDataDir, { recursive: true, force: true })
})

describe('client crash', () => {
  for (const point of POINTS) {
    it(`killed at ${point} (${ROUNDS}×): after a restart each message is on the server once and in the cache once`, { timeout: 60_000 + ROUNDS * 60_000 }, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const text = `${point} round ${round}`
        const crashed = await run({ step: 'send', userDataDir, conversationId, text }, point)
        expect(crashed.signal, crashed.stderr).toBe('SIGKILL')
        // The crash landed where it should: before the send nothing reached the server, after it the server has it.
        const atCrash = (await allMessages(srv.url, user.accessToken, conversationId)).filter((m) => m.text === text)
        expect(atCrash).toHaveLength(point === 'outbox-written' ? 0 : 1)

        const report = await run({ step: 'report', userDataDir, conversationId })
        expect(report.code, report.stderr).toBe(0)
        const cache = report.answer?.messages ?? []
        expect(cache.filter((m) => m.text === text)).toHaveLength(1)
        expect(cache.map((m) => m.seq)).toEqual(cache.map((_, i) => i + 1))
        const server = await allMessages(srv.url, user.accessToken, conversationId)
        expect(server.filter((m) => m.text === text)).toHaveLength(1)
        expect(cache.map((m) => m.id)).toEqual(server.map((m) => m.id))
      }
    })
  }
})
