// The container's HEALTHCHECK: GET /api/v1/health on this container's server
// (HTTPS unless MESSENGER_TLS=0); exits 0 on a 200 answer, 1 otherwise.
// Loopback only, so the self-signed certificate is not checked.
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'

const tls = process.env.MESSENGER_TLS !== '0'
const request = tls ? httpsRequest : httpRequest
const req = request(
  { host: '127.0.0.1', port: Number(process.env.MESSENGER_PORT ?? 7450), path: '/api/v1/health', timeout: 4000, rejectUnauthorized: false },
  (res) => {
    res.resume()
    process.exit(res.statusCode === 200 ? 0 : 1)
  }
)
req.on('timeout', () => req.destroy(new Error('timed out')))
req.on('error', () => process.exit(1))
req.end()
