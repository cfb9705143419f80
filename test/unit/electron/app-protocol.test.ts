import { expect, test } from 'vitest'
import { registerAppProtocol } from '../../../src/main/electron/app-protocol'

test('app:// answers with the built file, and 404 for anything outside it', async () => {
  let handler: ((request: Request) => Response | Promise<Response>) | null = null
  const fetched: string[] = []
  registerAppProtocol(
    { handle: (scheme: string, h: never) => (expect(scheme).toBe('app'), (handler = h)) },
    { fetch: (url: string) => (fetched.push(url), Promise.resolve(new Response('file'))) },
    '/opt/app/out/renderer'
  )
  const ok = await handler!(new Request('app://messenger/assets/a.js'))
  expect(await ok.text()).toBe('file')
  expect(fetched).toEqual(['file:///opt/app/out/renderer/assets/a.js'])
  const outside = await handler!(new Request('app://messenger/%2F..%2F..%2Fmain%2Findex.js'))
  expect(outside.status).toBe(404)
  expect((await handler!(new Request('app://elsewhere/index.html'))).status).toBe(404)
  expect(fetched).toHaveLength(1)
})
