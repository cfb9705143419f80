// The link-preview fetcher against real HTTP servers on loopback: what it
// reads from a page, and every address and limit it refuses (issue 21 item 5).
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { addressPolicy, type AddressPolicy } from '../../../server/services/link-previews/address-policy'
import { fetchPreview, PREVIEW_BYTES } from '../../../server/services/link-previews/fetch-preview'
import type { Resolver } from '../../../server/services/link-previews/safe-fetch'

/** A 2×3 PNG (header and IHDR are what is read). */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000002000000030806000000' + '9d74ba5e0000000d49444154789c63f8ffff3f0300080001ff2b7c3a3f0000000049454e44ae426082',
  'hex'
)

const PAGE = `<!doctype html><html><head>
<title>Fallback title</title>
<meta property="og:title" content="Caf&eacute; &amp; Co.">
<meta property="og:description" content="  The   menu
  of the week  ">
<meta property="og:site_name" content="Intranet">
<meta property="og:image" content="/logo.png">
</head><body>hello</body></html>`

type Handler = (path: string, res: ServerResponse, headers: IncomingHttpHeaders) => void

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => (s.closeAllConnections(), s.close(resolve)))))
})

/** A server on `host`; answers with `handler`, and lists every request it got. */
async function serve(handler: Handler, host = '127.0.0.1'): Promise<{ base: string; port: number; requests: { path: string; headers: IncomingHttpHeaders }[] }> {
  const requests: { path: string; headers: IncomingHttpHeaders }[] = []
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers })
    handler(req.url ?? '', res, req.headers)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const { port } = server.address() as AddressInfo
  return { base: `http://${host}:${port}`, port, requests }
}

const html = (res: ServerResponse, body = PAGE): void => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
  res.end(body)
}
const pageWithLogo: Handler = (path, res) => (path === '/logo.png' ? (res.writeHead(200, { 'content-type': 'image/png' }), res.end(PNG)) : html(res))

const all = addressPolicy('all')
const publicOnly = addressPolicy('public')

async function preview(url: string, policy: AddressPolicy, extra: { resolve?: Resolver; timeoutMs?: number } = {}) {
  const reasons: string[] = []
  const result = await fetchPreview(
    url,
    { policy, ...(extra.resolve ? { resolve: extra.resolve } : {}), ...(extra.timeoutMs ? { limits: { timeoutMs: extra.timeoutMs, maxRedirects: 3 } } : {}) },
    (reason) => reasons.push(reason)
  )
  return { result, reasons }
}

const resolvesTo =
  (table: Record<string, string[]>): Resolver =>
  (host) =>
    Promise.resolve((table[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })))

describe('link preview fetcher, linkPreviews all', () => {
  it('reads title, description, site name and image of a LAN page (entities decoded, whitespace collapsed)', async () => {
    const { base } = await serve(pageWithLogo)
    const { result } = await preview(`${base}/menu`, all)
    expect(result).toMatchObject({ title: 'Café & Co.', description: 'The menu of the week', siteName: 'Intranet' })
    expect(result?.image).toMatchObject({ type: 'image/png', width: 2, height: 3 })
    expect(result?.image?.bytes.equals(PNG)).toBe(true)
  })

  it('falls back to <title> and the description meta tag', async () => {
    const { base } = await serve((_p, res) => html(res, '<html><head><title> Plain &lt;page&gt; </title><meta name="description" content="About it"></head></html>'))
    expect((await preview(base, all)).result).toEqual({ title: 'Plain <page>', description: 'About it', siteName: null, image: null })
  })

  it('gives no preview for a page that is not HTML, and no image for bytes that are not an image', async () => {
    const { base } = await serve((path, res) => {
      if (path === '/data') return (res.writeHead(200, { 'content-type': 'application/json' }), res.end('{"title":"x"}'))
      if (path === '/logo.png') return (res.writeHead(200, { 'content-type': 'image/png' }), res.end('<svg>not a png</svg>'))
      html(res)
    })
    const json = await preview(`${base}/data`, all)
    expect(json.result).toBeNull()
    expect(json.reasons[0]).toContain('application/json is not a page')
    const page = await preview(`${base}/page`, all)
    expect(page.result).toMatchObject({ title: 'Café & Co.', image: null })
    expect(page.reasons).toContain('image: the image is not PNG, JPEG, GIF or WebP')
  })

  it('sends no cookie or Authorization and names the app in User-Agent, on every hop', async () => {
    const { base, requests } = await serve((path, res) => {
      if (path === '/start') return (res.writeHead(302, { location: '/page', 'set-cookie': 'session=secret; Path=/' }), res.end())
      html(res)
    })
    expect((await preview(`${base}/start`, all)).result?.title).toBe('Café & Co.')
    expect(requests.map((r) => r.path)).toEqual(['/start', '/page', '/logo.png'])
    for (const { headers } of requests) {
      expect(headers.cookie).toBeUndefined()
      expect(headers.authorization).toBeUndefined()
      expect(headers['user-agent']).toMatch(/^LAN-Messenger-LinkPreview\//)
    }
  })

  it('refuses an address with a user name and password, without connecting', async () => {
    const { port, requests } = await serve(pageWithLogo)
    const { result, reasons } = await preview(`http://user:pass@127.0.0.1:${port}/`, all)
    expect(result).toBeNull()
    expect(reasons[0]).toContain('credentials')
    expect(requests).toHaveLength(0)
  })

  it('follows 3 redirects and stops at the fourth', async () => {
    const { base, requests } = await serve((path, res) => {
      const n = Number(path.slice(1))
      if (n > 0) return (res.writeHead(301, { location: `/${n - 1}` }), res.end())
      html(res)
    })
    expect((await preview(`${base}/3`, all)).result?.title).toBe('Café & Co.')
    requests.length = 0
    const tooMany = await preview(`${base}/4`, all)
    expect(tooMany.result).toBeNull()
    expect(tooMany.reasons[0]).toBe('more than 3 redirects')
    expect(requests.map((r) => r.path)).toEqual(['/4', '/3', '/2', '/1'])
  })

  it('cuts a page that sends one byte a second at the deadline', async () => {
    const { base } = await serve((_p, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.write('<html><head><title>')
      const timer = setInterval(() => res.write('a'), 1000)
      res.on('close', () => clearInterval(timer))
    })
    const { result, reasons } = await preview(base, all, { timeoutMs: 1500 })
    expect(result).toBeNull()
    expect(reasons[0]).toBe('no answer within 1500 ms')
  })

  it('stops reading an endless page after 512 KiB and previews what it read', async () => {
    let closed = false
    const { base } = await serve((_p, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.write('<html><head><title>Endless</title></head><body>')
      const chunk = Buffer.alloc(64 * 1024, 'x')
      const more = (): void => {
        while (!closed && res.write(chunk));
        if (!closed) res.once('drain', more)
      }
      res.on('close', () => (closed = true))
      more()
    })
    const { result } = await preview(base, all)
    expect(result?.title).toBe('Endless')
    // The fetcher hung up while the page was still being sent.
    await expect.poll(() => closed).toBe(true)
    expect(PREVIEW_BYTES.html).toBe(512 * 1024)
  })
})

describe('link preview fetcher, linkPreviews public', () => {
  it('refuses loopback addresses, IPv4 and IPv6, without connecting', async () => {
    const { port, requests } = await serve(pageWithLogo)
    for (const url of [`http://127.0.0.1:${port}/`, `http://[::1]:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`, `http://localhost:${port}/`]) {
      const { result, reasons } = await preview(url, publicOnly, { resolve: resolvesTo({ localhost: ['127.0.0.1', '::1'] }) })
      expect(result, url).toBeNull()
      expect(reasons[0], url).toContain('does not allow')
    }
    expect(requests).toHaveLength(0)
  })

  it('refuses names that resolve to private or loopback addresses, even when another answer is public', async () => {
    const resolve = resolvesTo({ 'intranet.test': ['10.0.0.5'], 'self.test': ['127.0.0.1'], 'mixed.test': ['93.184.216.34', '192.168.1.10'], 'v6.test': ['fd00::5'] })
    for (const host of ['intranet.test', 'self.test', 'mixed.test', 'v6.test']) {
      const { result, reasons } = await preview(`http://${host}/`, publicOnly, { resolve })
      expect(result, host).toBeNull()
      expect(reasons[0], host).toMatch(/resolves to .* which this server's linkPreviews setting does not allow/)
    }
  })

  it('refuses a redirect from an allowed address to a refused one, by address and by name', async () => {
    // This test's policy: the first hop's 127.0.0.1 counts as public; 127.0.0.2 and 10/8 do not.
    const policy: AddressPolicy = (address) => address === '127.0.0.1' || publicOnly(address)
    const other = await serve(pageWithLogo, '127.0.0.2')
    const { base, requests } = await serve((path, res) => {
      const to = { '/to-loopback': `${other.base}/`, '/to-private': 'http://10.0.0.5/', '/to-name': 'http://intranet.test/' }[path]
      if (to) return (res.writeHead(302, { location: to }), res.end())
      html(res)
    })
    const resolve = resolvesTo({ 'intranet.test': ['10.0.0.5'] })
    expect((await preview(`${base}/page`, policy, { resolve })).result?.title).toBe('Café & Co.')
    for (const path of ['/to-loopback', '/to-private', '/to-name']) {
      const { result, reasons } = await preview(`${base}${path}`, policy, { resolve })
      expect(result, path).toBeNull()
      expect(reasons[0], path).toContain('does not allow')
    }
    expect(requests.map((r) => r.path)).toEqual(['/page', '/logo.png', '/to-loopback', '/to-private', '/to-name'])
    expect(other.requests).toHaveLength(0)
  })
})

describe('address policy', () => {
  const cases: [string, boolean, boolean][] = [
    // address, public, all
    ['93.184.216.34', true, true],
    ['2606:2800:220:1:248:1893:25c8:1946', true, true],
    ['127.0.0.1', false, true],
    ['::1', false, true],
    ['10.1.2.3', false, true],
    ['172.16.0.1', false, true],
    ['192.168.1.1', false, true],
    ['100.64.0.1', false, true],
    ['169.254.169.254', false, true],
    ['fe80::1', false, true],
    ['fd12:3456::1', false, true],
    ['::ffff:10.0.0.1', false, true],
    ['::ffff:8.8.8.8', true, true],
    ['224.0.0.1', false, false],
    ['ff02::1', false, false],
    ['0.0.0.0', false, false],
    ['::', false, false],
    ['255.255.255.255', false, false],
    ['2002:0a00:0001::1', false, true]
  ]
  it.each(cases)('%s: public %s, all %s', (address, pub, lan) => {
    expect(publicOnly(address)).toBe(pub)
    expect(all(address)).toBe(lan)
  })
})
