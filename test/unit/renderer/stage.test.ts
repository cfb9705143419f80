// How the page hands dropped and pasted files to main in each host: by path
// in Electron (found by the preload's stageDropped), by bytes over IPC for a pasted
// image that has no path, and over the Node host's stage endpoint in a browser.
import { afterEach, describe, expect, test, vi } from 'vitest'
import { LIMITS } from '../../../src/shared/limits'
import { stageBlob } from '../../../src/renderer/src/lib/stage'

const staged = { stagedId: '00000000-0000-4000-8000-000000000001', name: 'x', size: 1, type: 'image/png' }

function electronPage(paths: Record<string, string>) {
  const messenger = {
    pathForFile: vi.fn((file: File) => paths[file.name] ?? ''),
    stageDropped: vi.fn((_files: File[]) => Promise.resolve({ ok: true, data: [staged] })),
    files: {
      stageBytes: vi.fn((_req: { name: string; type: string; bytes: Uint8Array }) => Promise.resolve({ ok: true, data: staged }))
    }
  }
  vi.stubGlobal('window', { messenger })
  return messenger
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('Electron', () => {
  test('a dropped file is staged by its path, its bytes stay where they are', async () => {
    const messenger = electronPage({ 'report.pdf': '/home/ann/report.pdf' })
    expect(await stageBlob(new File(['%PDF'], 'report.pdf', { type: 'application/pdf' }))).toEqual(staged)
    // The page hands over the File; the preload finds its path.
    expect(messenger.stageDropped.mock.calls[0]![0].map((f) => f.name)).toEqual(['report.pdf'])
    expect(messenger.files.stageBytes).not.toHaveBeenCalled()
  })

  test('a pasted image has no path: its bytes go over IPC, named as a pasted image', async () => {
    const messenger = electronPage({})
    await stageBlob(new File([new Uint8Array([137, 80, 78, 71])], '', { type: 'image/png' }))
    expect(messenger.stageDropped).not.toHaveBeenCalled()
    const request = messenger.files.stageBytes.mock.calls[0]![0]
    expect(request).toMatchObject({ name: 'pasted image.png', type: 'image/png' })
    expect([...request.bytes]).toEqual([137, 80, 78, 71])
  })

  test('a pasted file too big to cross IPC is refused before any byte is read', async () => {
    const messenger = electronPage({})
    const big = new File([new Uint8Array(LIMITS.pastedBytesMax + 1)], 'big.png', { type: 'image/png' })
    await expect(stageBlob(big)).rejects.toMatchObject({ code: 'payload_too_large' })
    expect(messenger.files.stageBytes).not.toHaveBeenCalled()
  })

  test("a main-process refusal reaches the page as the UI's error", async () => {
    const messenger = electronPage({ 'gone.txt': '/tmp/gone.txt' })
    messenger.stageDropped.mockResolvedValueOnce({ ok: false, error: { code: 'validation_failed', message: 'gone.txt is not a file' } } as never)
    await expect(stageBlob(new File(['x'], 'gone.txt'))).rejects.toMatchObject({ code: 'validation_failed' })
  })
})

test('in a browser (the Node host) the bytes go to the host, with its secret, and no path is asked for', async () => {
  const pathForFile = vi.fn(() => '')
  vi.stubGlobal('window', { messenger: { pathForFile }, sessionStorage: { getItem: () => 'host-secret' } })
  vi.stubGlobal('sessionStorage', { getItem: () => 'host-secret' })
  const fetch = vi.fn((_url: string, _init: RequestInit) => Promise.resolve(new Response(JSON.stringify({ ok: true, data: staged }))))
  vi.stubGlobal('fetch', fetch)
  expect(await stageBlob(new File(['abc'], '', { type: 'image/png' }))).toEqual(staged)
  const [url, init] = fetch.mock.calls[0]!
  expect(url).toBe('/files/stage?name=pasted+image.png&type=image%2Fpng')
  expect(init.headers).toEqual({ 'x-messenger-secret': 'host-secret' })
  expect(pathForFile).not.toHaveBeenCalled()
})
