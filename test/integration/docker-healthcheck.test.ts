// The container's HEALTHCHECK script (build/docker/healthcheck.mjs) against a
// real server: healthy over HTTPS with the self-signed certificate and over
// plain HTTP (MESSENGER_TLS=0), unhealthy once the server is gone.
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startServer } from '../helpers/server'

const SCRIPT = resolve(import.meta.dirname, '../../build/docker/healthcheck.mjs')

/** The script's exit code. Not spawnSync: the server answers from this process's event loop. */
function check(port: string, env: NodeJS.ProcessEnv = {}): Promise<number | null> {
  const child = spawn(process.execPath, [SCRIPT], { env: { ...process.env, MESSENGER_TLS: '1', MESSENGER_PORT: port, ...env }, stdio: 'ignore' })
  return new Promise((done) => child.on('exit', (code) => done(code)))
}

describe('the Docker HEALTHCHECK', () => {
  it('is healthy while the server answers, over HTTPS and plain HTTP, and unhealthy once it stopped', async () => {
    const https = await startServer({ tls: true })
    const http = await startServer({ tls: false })
    const [httpsPort, httpPort] = [new URL(https.url).port, new URL(http.url).port]
    try {
      expect(https.url).toMatch(/^https:/)
      expect(await check(httpsPort)).toBe(0)
      expect(await check(httpPort, { MESSENGER_TLS: '0' })).toBe(0)
      // Speaking the wrong protocol is no answer.
      expect(await check(httpPort)).toBe(1)
    } finally {
      await https.destroy()
      await http.destroy()
    }
    expect(await check(httpsPort)).toBe(1)
  })
})
