// Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security),
// all 20 items, each checked on the objects our code builds: window options,
// web-contents guards, session handlers, the CSP of the built page, the IPC
// sender check, the preload's surface and the packaging fuses.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test, vi } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { IPC_METHOD_NAMES, ipcChannel } from '../../../src/shared/ipc'
import { appFrameCheck } from '../../../src/main/electron/app-frame'
import { APP_INDEX_URL, APP_SCHEME_PRIVILEGES, appFilePath } from '../../../src/main/electron/app-protocol'
import { safeExternalUrl } from '../../../src/main/electron/external-links'
import { registerIpc } from '../../../src/main/electron/ipc'
import { permissionAllowed, restrictPermissions } from '../../../src/main/electron/permissions'
import { guardWebContents } from '../../../src/main/electron/web-contents-guard'
import { mainWindowOptions } from '../../../src/main/electron/window-options'
import { fakeEvent, FakeWebContents } from './fake-electron'

const root = join(__dirname, '../../..')
const prefs = mainWindowOptions('/app/out/preload/index.js').webPreferences!
const builder = parseYaml(readFileSync(join(root, 'electron-builder.yml'), 'utf8'))

function cspOf(html: string): Map<string, string[]> {
  const content = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
  expect(content, 'the page has a CSP meta tag').toBeTruthy()
  return new Map(
    content!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values])
  )
}

function guarded() {
  const contents = new FakeWebContents()
  const opened: string[] = []
  const blocked: string[] = []
  guardWebContents(contents as never, {
    openExternal: (url) => {
      opened.push(url)
      return Promise.resolve()
    },
    onBlocked: (what) => blocked.push(what)
  })
  return { contents, opened, blocked }
}

describe('Electron security checklist', () => {
  test('1. only secure content: the UI comes from app://, a scheme registered as secure, never http', () => {
    expect(APP_INDEX_URL).toBe('app://messenger/index.html')
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true })
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP')
  })

  test('2. Node.js integration off in the window, its workers and subframes', () => {
    expect(prefs).toMatchObject({ nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false })
  })

  test('3. context isolation on', () => {
    expect(prefs.contextIsolation).toBe(true)
  })

  test('4. the renderer is sandboxed (and app.enableSandbox() is called for every renderer)', () => {
    expect(prefs.sandbox).toBe(true)
    expect(readFileSync(join(root, 'src/main/index.ts'), 'utf8')).toMatch(/app\.enableSandbox\(\)/)
  })

  test('5. permission requests are denied, except notifications for our own page', () => {
    expect(permissionAllowed('notifications', 'app://messenger/index.html', undefined)).toBe(true)
    expect(permissionAllowed('notifications', 'app://messenger', undefined)).toBe(true)
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'pointerLock', 'fullscreen', 'hid', 'serial'])
      expect(permissionAllowed(p, 'app://messenger/index.html', undefined)).toBe(false)
    expect(permissionAllowed('notifications', 'https://evil.example/', undefined)).toBe(false)
    expect(permissionAllowed('notifications', 'file:///tmp/x.html', undefined)).toBe(false)

    const handlers: Record<string, (...args: any[]) => unknown> = {}
    restrictPermissions(
      {
        setPermissionRequestHandler: (h: never) => (handlers['request'] = h),
        setPermissionCheckHandler: (h: never) => (handlers['check'] = h),
        setDevicePermissionHandler: (h: never) => (handlers['device'] = h),
        setDisplayMediaRequestHandler: (h: never) => (handlers['display'] = h)
      },
      undefined
    )
    const answers: boolean[] = []
    const contents = { getURL: () => 'app://messenger/index.html' }
    handlers['request']!(contents, 'media', (ok: boolean) => answers.push(ok), { requestingUrl: 'app://messenger/index.html' })
    handlers['request']!(contents, 'notifications', (ok: boolean) => answers.push(ok), { requestingUrl: 'app://messenger/index.html' })
    expect(answers).toEqual([false, true])
    expect(handlers['check']!(null, 'geolocation', 'app://messenger')).toBe(false)
    expect(handlers['device']!({})).toBe(false)
    let streams: unknown = 'unset'
    handlers['display']!({}, (s: unknown) => (streams = s))
    expect(streams).toBeNull()
  })

  test('6. webSecurity stays on', () => {
    expect(prefs.webSecurity).toBe(true)
  })

  test('7. a strict Content-Security-Policy: script-src self, no eval, no inline script', () => {
    const html = readFileSync(join(root, 'src/renderer/index.html'), 'utf8')
    const csp = cspOf(html)
    expect(csp.get('default-src')).toEqual(["'self'"])
    expect(csp.get('script-src')).toEqual(["'self'"])
    expect(csp.get('object-src')).toEqual(["'none'"])
    expect(csp.get('base-uri')).toEqual(["'none'"])
    for (const values of csp.values()) expect(values).not.toContain("'unsafe-eval'")
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'")
  })

  test.skipIf(!existsSync(join(root, 'out/renderer/index.html')))('7b. the built page keeps that CSP and loads no inline script', () => {
    const html = readFileSync(join(root, 'out/renderer/index.html'), 'utf8')
    expect(cspOf(html).get('script-src')).toEqual(["'self'"])
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
  })

  test('8. no insecure content in a secure page', () => {
    expect(prefs.allowRunningInsecureContent).toBe(false)
  })

  test('9. no experimental features', () => {
    expect(prefs.experimentalFeatures).toBe(false)
  })

  test('10. no enableBlinkFeatures', () => {
    expect(prefs).not.toHaveProperty('enableBlinkFeatures')
  })

  test('11. no <webview> tag (so no allowpopups)', () => {
    expect(prefs.webviewTag).toBe(false)
  })

  test('12. a <webview> that tries to attach is refused', () => {
    const { contents, blocked } = guarded()
    const e = fakeEvent()
    contents.emit('will-attach-webview', e, {}, {})
    expect(e.prevented).toBe(true)
    expect(blocked).toContain('webview')
  })

  test('13. navigation away from the app is cancelled (and redirects)', () => {
    const { contents } = guarded()
    for (const name of ['will-navigate', 'will-redirect']) {
      for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://messenger/index.html']) {
        const e = fakeEvent()
        contents.emit(name, e, url)
        expect(e.prevented).toBe(true)
      }
    }
  })

  test('14. new windows are denied; safe links go to the browser instead', () => {
    const { contents, opened } = guarded()
    expect(contents.windowOpenHandler!({ url: 'https://example.com/a?b=c' })).toEqual({ action: 'deny' })
    expect(contents.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' })
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(opened).toEqual(['https://example.com/a?b=c'])
  })

  test('15. shell.openExternal only for parsed http(s) and mailto URLs', () => {
    expect(safeExternalUrl('https://example.com/x y')).toBe('https://example.com/x%20y')
    expect(safeExternalUrl('http://192.168.1.20:7450/')).toBe('http://192.168.1.20:7450/')
    expect(safeExternalUrl('mailto:someone@example.com')).toBe('mailto:someone@example.com')
    for (const bad of ['file:///C:/Windows/system32/calc.exe', 'smb://host/share', 'javascript:alert(1)', 'ms-msdt:/id', 'messenger://join?server=x', 'http://user:pw@host/', 'https://', 'not a url', '\\\\host\\share'])
      expect(safeExternalUrl(bad), bad).toBeNull()
  })

  test('16. a current Electron: the supported major this project builds with', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    const major = Number(/\d+/.exec(pkg.devDependencies.electron)![0])
    expect(major).toBeGreaterThanOrEqual(45)
  })

  test('17. every IPC handler checks its sender frame', async () => {
    const handlers = new Map<string, (event: unknown, payload: unknown) => unknown>()
    const calls: string[] = []
    const core = { dispatch: (m: string) => (calls.push(m), Promise.resolve({ ok: true, data: null })), subscribe: () => () => undefined }
    registerIpc({ handle: (ch: string, h: never) => void handlers.set(ch, h) }, core as never, appFrameCheck(undefined), () => [])
    expect([...handlers.keys()].sort()).toEqual(IPC_METHOD_NAMES.map(ipcChannel).sort())
    const ours = { senderFrame: { url: 'app://messenger/index.html', parent: null } }
    const strangers = [
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: 'app://messenger/index.html', parent: {} } },
      { senderFrame: { url: 'file:///opt/app/resources/app.asar/out/renderer/index.html', parent: null } },
      { senderFrame: null }
    ]
    for (const [channel, handle] of handlers) {
      for (const event of strangers) expect(await handle(event, {}), channel).toMatchObject({ ok: false, error: { code: 'forbidden' } })
      await handle(ours, {})
    }
    expect(calls.sort()).toEqual([...IPC_METHOD_NAMES].sort())
  })

  test('18. no file:// for the UI: a custom protocol that serves only the built renderer', () => {
    const rendererRoot = '/opt/app/resources/app.asar/out/renderer'
    expect(appFilePath('app://messenger/index.html', rendererRoot)).toBe(`${rendererRoot}/index.html`)
    expect(appFilePath('app://messenger/assets/index-abc.js', rendererRoot)).toBe(`${rendererRoot}/assets/index-abc.js`)
    // Dot segments are resolved by the URL parser: they stay inside the renderer folder.
    expect(appFilePath('app://messenger/../../main/index.js', rendererRoot)).toBe(`${rendererRoot}/main/index.js`)
    expect(appFilePath('app://messenger/%2e%2e/%2e%2e/main/index.js', rendererRoot)).toBe(`${rendererRoot}/main/index.js`)
    for (const bad of ['app://messenger/%2F..%2F..%2Fmain%2Findex.js', 'app://messenger/..%5C..%5Cmain', 'app://other/index.html', 'file:///etc/passwd', 'app://messenger/a%00b', 'app://messenger/%E0%A4%A'])
      expect(appFilePath(bad, rendererRoot), bad).toBeNull()
    expect(readFileSync(join(root, 'src/main/index.ts'), 'utf8')).not.toMatch(/loadFile\(/)
  })

  test('19. fuses are set at packaging: RunAsNode, NODE_OPTIONS and inspect off; ASAR integrity and asar-only on', () => {
    expect(builder.asar).toBe(true)
    expect(builder.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false
    })
  })

  describe('20. no Electron API reaches the page: the preload exposes only the named contract', () => {
    const exposed = new Map<string, any>()
    const invoked: string[] = []
    beforeAll(async () => {
      vi.resetModules()
      vi.doMock('electron', () => ({
        contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
        ipcRenderer: { invoke: (channel: string) => (invoked.push(channel), Promise.resolve({ ok: true, data: null })), on: () => undefined },
        // Electron's File has no .path any more; webUtils finds it for a dropped file, '' for one from memory.
        webUtils: { getPathForFile: (file: { name: string; onDisk?: string }) => file.onDisk ?? '' }
      }))
      // Not a literal: the preload belongs to the node project, whose window.messenger type the tests take from index.d.ts.
      const preload = '../../../src/preload/index'
      await import(/* @vite-ignore */ preload)
    })

    test('one global, window.messenger, made of named methods and on… listeners', async () => {
      expect([...exposed.keys()]).toEqual(['messenger'])
      const api = exposed.get('messenger')
      const values = Object.values(api)
      expect(values.every((v) => typeof v === 'function' || (typeof v === 'object' && v !== null))).toBe(true)
      for (const forbidden of ['ipcRenderer', 'invoke', 'send', 'on', 'require', 'process']) expect(api).not.toHaveProperty(forbidden)
      await api.session.get()
      expect(invoked).toEqual(['messenger:session.get'])
    })

    test("a dropped file's path comes from webUtils.getPathForFile in the preload; the page can never name a path", async () => {
      const api = exposed.get('messenger')
      expect(api.pathForFile({ name: 'report.pdf', size: 10, onDisk: '/home/ann/report.pdf' })).toBe('/home/ann/report.pdf')
      expect(api.pathForFile({ name: 'image.png', size: 10 })).toBe('')
      invoked.length = 0
      // A page that names a path itself is refused without reaching main.
      expect(await api.files.stagePaths({ paths: ['/home/ann/.ssh/id_ed25519'] })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
      // A File made in memory has no path: refused too.
      expect(await api.stageDropped([{ name: 'id_ed25519', size: 10 }])).toMatchObject({ ok: false, error: { code: 'validation_failed' } })
      expect(invoked).toEqual([])
      // A dropped File reaches main with the path the preload found.
      await api.stageDropped([{ name: 'report.pdf', size: 10, onDisk: '/home/ann/report.pdf' }])
      expect(invoked).toEqual(['messenger:files.stagePaths'])
      expect(typeof api.files.stageBytes).toBe('function')
    })
  })
})
