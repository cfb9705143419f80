// Calls' permissions: the microphone, camera and screen only for our own page
// in the app window's top frame; screen capture only of the source picked in
// the app's picker, once.
import { describe, expect, test } from 'vitest'
import { permissionAllowed, restrictPermissions } from '../../../src/main/electron/permissions'
import { ScreenPicker } from '../../../src/main/electron/screen-picker'

const APP = 'app://messenger/index.html'
const DEV = 'http://localhost:5173/'
const window = { appWindow: true, mainFrame: true }

describe('permissionAllowed for calls', () => {
  test('media, speaker-selection and display-capture: our page in the app window’s top frame only', () => {
    for (const p of ['media', 'speaker-selection', 'display-capture']) {
      expect(permissionAllowed(p, APP, undefined, window)).toBe(true)
      expect(permissionAllowed(p, 'app://messenger', undefined, window)).toBe(true)
      // Another web contents (any other window), a subframe, or nobody known.
      expect(permissionAllowed(p, APP, undefined, { appWindow: false, mainFrame: true })).toBe(false)
      expect(permissionAllowed(p, APP, undefined, { appWindow: true, mainFrame: false })).toBe(false)
      expect(permissionAllowed(p, APP, undefined)).toBe(false)
      // Another origin, even inside the app window.
      expect(permissionAllowed(p, 'https://evil.example/', undefined, window)).toBe(false)
      expect(permissionAllowed(p, 'file:///tmp/x.html', undefined, window)).toBe(false)
      // In development: the dev server's origin, and only it.
      expect(permissionAllowed(p, `${DEV}index.html`, DEV, window)).toBe(true)
      expect(permissionAllowed(p, APP, DEV, window)).toBe(false)
    }
  })

  test('the app window gets nothing else than before', () => {
    for (const p of ['geolocation', 'clipboard-read', 'openExternal', 'hid', 'serial', 'usb', 'window-management'])
      expect(permissionAllowed(p, APP, undefined, window)).toBe(false)
  })
})

function setup() {
  const handlers: Record<string, (...args: any[]) => unknown> = {}
  const mainFrame = { url: APP }
  const appContents = { mainFrame, getURL: () => APP }
  const picker = new ScreenPicker({
    getSources: () =>
      Promise.resolve([
        { id: 'screen:1:0', name: 'Entire screen', thumbnail: { toDataURL: () => 'data:image/png;base64,AA==' } },
        { id: 'window:42:0', name: 'Report.pdf', thumbnail: { toDataURL: () => 'data:image/png;base64,BB==' } }
      ] as never)
  })
  restrictPermissions(
    {
      setPermissionRequestHandler: (h: never) => (handlers['request'] = h),
      setPermissionCheckHandler: (h: never) => (handlers['check'] = h),
      setDevicePermissionHandler: (h: never) => (handlers['device'] = h),
      setDisplayMediaRequestHandler: (h: never) => (handlers['display'] = h)
    },
    undefined,
    { appContents: () => appContents as never, takeScreen: () => picker.take() }
  )
  const request = (contents: unknown, permission: string, details: object): boolean => {
    let answer: boolean | null = null
    handlers['request']!(contents, permission, (ok: boolean) => (answer = ok), details)
    return answer!
  }
  const display = (frame: unknown): unknown => {
    let streams: unknown = 'unset'
    handlers['display']!({ frame, securityOrigin: 'app://messenger', videoRequested: true, audioRequested: false, userGesture: true }, (s: unknown) => (streams = s))
    return streams
  }
  return { handlers, appContents, mainFrame, picker, request, display }
}

describe('the session handlers', () => {
  test('the microphone and camera for the app window; refused to any other web contents and to a subframe', () => {
    const { handlers, appContents, request } = setup()
    const other = { mainFrame: { url: APP }, getURL: () => APP }
    expect(request(appContents, 'media', { requestingUrl: APP, isMainFrame: true, mediaTypes: ['audio', 'video'] })).toBe(true)
    expect(request(appContents, 'media', { requestingUrl: APP, isMainFrame: false })).toBe(false)
    expect(request(other, 'media', { requestingUrl: APP, isMainFrame: true })).toBe(false)
    expect(request(appContents, 'geolocation', { requestingUrl: APP, isMainFrame: true })).toBe(false)
    expect(handlers['check']!(appContents, 'media', 'app://messenger', { isMainFrame: true, mediaType: 'audio' })).toBe(true)
    expect(handlers['check']!(null, 'media', 'app://messenger', { isMainFrame: true })).toBe(false)
    expect(handlers['check']!(other, 'media', 'app://messenger', { isMainFrame: true })).toBe(false)
    expect(handlers['device']!({})).toBe(false)
  })

  test('getDisplayMedia gets the source picked in the app’s picker, once; nothing without a pick or after a cancel', async () => {
    const { mainFrame, picker, display } = setup()
    expect(display(mainFrame)).toBeNull()
    expect(await picker.sources()).toEqual([
      { id: 'screen:1:0', name: 'Entire screen', kind: 'screen', thumbnail: 'data:image/png;base64,AA==' },
      { id: 'window:42:0', name: 'Report.pdf', kind: 'window', thumbnail: 'data:image/png;base64,BB==' }
    ])
    picker.choose('window:42:0')
    expect(display(mainFrame)).toEqual({ video: { id: 'window:42:0', name: 'Report.pdf' } })
    expect(display(mainFrame)).toBeNull()

    picker.choose('screen:1:0')
    picker.choose(null)
    expect(display(mainFrame)).toBeNull()
  })

  test('a capture asked by any other frame gets nothing and leaves the pick for the app window', async () => {
    const { mainFrame, picker, display } = setup()
    await picker.sources()
    picker.choose('screen:1:0')
    expect(display({ url: APP })).toBeNull()
    expect(display(null)).toBeNull()
    expect(display(mainFrame)).toEqual({ video: { id: 'screen:1:0', name: 'Entire screen' } })
  })

  test('only a listed source can be picked', async () => {
    const { picker } = setup()
    expect(() => picker.choose('screen:1:0')).toThrow(expect.objectContaining({ code: 'not_found' }))
    await picker.sources()
    expect(() => picker.choose('window:7:0')).toThrow(expect.objectContaining({ code: 'not_found' }))
  })
})
