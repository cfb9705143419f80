// The servers of the files benchmark, each in its own fresh process so its
// memory is its own:
// - `bare`: raw Node (req.pipe(fs.createWriteStream), a read stream piped to
//   the response) in a process that imports nothing else;
// - `raw`: the same raw handler on its own port, in a process that has also
//   loaded the product and started a messenger server (unused), so the
//   baseline carries the product's fixed footprint and the comparison
//   measures what the product's upload path adds;
// - `product`: the messenger server.
// Prints {"port":N} once listening; stops on SIGTERM.
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fsyncDir } from '../../src/node/fsync'

export type ServerMode = 'bare' | 'raw' | 'product'

const [mode, dataDir] = process.argv.slice(2) as [ServerMode, string]

function listenRaw(onClose: () => Promise<void>): void {
  mkdirSync(dataDir, { recursive: true })
  // Each upload goes to a new file, which the bench deletes (DELETE) before
  // the next, as it does the product's: so every server's upload meets the
  // page cache and the disk in the same state (overwriting one file in place
  // reuses the pages the truncation just freed, a head start the product
  // never got).
  let uploads = 0
  const target = (): string => join(dataDir, `raw-${uploads}.bin`)
  const server = createServer((req, res) => {
    if (req.method === 'DELETE') {
      rmSync(target(), { force: true })
      // Durable, as the product's delete is (it fsyncs the directory): on this
      // ext4, mounted with discard, the commit that does so also waits for the
      // freed gigabyte's discards. Left undone, they were paid by the next
      // server's first fsync, always the product's (the raw servers never
      // fsync): it uploaded 1.5-2x slower right after a raw server than after
      // itself.
      void fsyncDir(dataDir).then(() => res.end())
    } else if (req.method === 'PUT') {
      uploads++
      const out = createWriteStream(target())
      req.pipe(out)
      out.on('finish', () => res.end('{}'))
    } else {
      res.setHeader('content-type', 'application/octet-stream')
      createReadStream(target()).pipe(res)
    }
  })
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`))
  process.on('SIGTERM', () => server.close(() => void onClose().then(() => process.exit(0))))
}

async function startProduct(dir: string): Promise<{ port: number; close: () => Promise<void> }> {
  // Imported only here, so the bare server's memory holds none of the product.
  const { createMessengerServer, silentLogger } = await import('../../server')
  const server = createMessengerServer({ dataDir: dir, port: 0, host: '127.0.0.1', logger: silentLogger(), scryptN: 2 ** 12, maxFileBytes: 64 * 1024 ** 3, userQuotaBytes: 256 * 1024 ** 3 })
  const { port } = await server.listen()
  return { port, close: () => server.close() }
}

async function main(): Promise<void> {
  if (mode === 'bare') return listenRaw(() => Promise.resolve())
  if (mode === 'raw') {
    const product = await startProduct(join(dataDir, 'product'))
    return listenRaw(product.close)
  }
  const product = await startProduct(dataDir)
  process.stdout.write(`${JSON.stringify({ port: product.port })}\n`)
  process.on('SIGTERM', () => void product.close().then(() => process.exit(0)))
}

void main()
