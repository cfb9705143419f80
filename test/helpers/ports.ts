// A port for a test server that is stopped and started again on the same
// port (a private PostgreSQL, a private Redis). Chosen outside Linux's
// ephemeral range (32768–60999): while the server is down, no listen(0) or
// outgoing connection of another test can take it, and a client retrying
// the port cannot connect to itself (a TCP self-connect, possible only when
// the port is one the kernel could pick as the client's own).
import { createServer } from 'node:net'

const STABLE_RANGE = [20_000, 32_000] as const

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer()
  return new Promise((resolve) => {
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

export async function stablePort(): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const port = STABLE_RANGE[0] + Math.floor(Math.random() * (STABLE_RANGE[1] - STABLE_RANGE[0]))
    if (await portIsFree(port)) return port
  }
  throw new Error(`no free port in ${STABLE_RANGE[0]}–${STABLE_RANGE[1]} after 100 tries`)
}
