// The two servers of the files benchmark, each in its own process so its
// memory is its own: `raw` (req.pipe(fs.createWriteStream), and a read
// stream piped to the response) and `product` (the messenger server).
// Prints {"port":N} once listening; stops on SIGTERM.
import { createReadStream, createWriteStream } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

const [mode, dataDir] = process.argv.slice(2) as ['raw' | 'product', string]

async function main(): Promise<void> {
  if (mode === 'raw') {
    const target = join(dataDir, 'raw.bin')
    const server = createServer((req, res) => {
      if (req.method === 'PUT') {
        const out = createWriteStream(target)
        req.pipe(out)
        out.on('finish', () => res.end('{}'))
      } else {
        res.setHeader('content-type', 'application/octet-stream')
        createReadStream(target).pipe(res)
      }
    })
    server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`))
    process.on('SIGTERM', () => server.close(() => process.exit(0)))
    return
  }
  // Imported only here, so the raw server's memory holds none of the product.
  const { createMessengerServer, silentLogger } = await import('../../server')
  const server = createMessengerServer({ dataDir, port: 0, host: '127.0.0.1', logger: silentLogger(), scryptN: 2 ** 12, maxFileBytes: 64 * 1024 ** 3, userQuotaBytes: 256 * 1024 ** 3 })
  const { port } = await server.listen()
  process.stdout.write(`${JSON.stringify({ port })}\n`)
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)))
}

void main()
