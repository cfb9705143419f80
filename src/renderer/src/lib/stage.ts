// Files the user picked, dropped or pasted, handed to main. In the browser
// (Node host) the page has no paths, so it sends the bytes to the host,
// which keeps them for the upload. In Electron main stages a dropped file
// from its path (found by the preload's stageDropped; the page never names
// one), and a pasted image, which has none, from its bytes over IPC.
import type { StagedFile } from '../../../shared/ipc'
import { LIMITS } from '../../../shared/limits'
import { api, UiError, unwrap } from './api'

const SECRET_KEY = 'messenger.hostSecret'
const THUMB_PX = 160

/** The host's secret when this page runs in a browser; null in Electron. */
export function hostSecret(): string | null {
  return 'sessionStorage' in window ? sessionStorage.getItem(SECRET_KEY) : null
}

export async function stageBlob(file: File): Promise<StagedFile> {
  const name = file.name || 'pasted image.png'
  const secret = hostSecret()
  if (!secret) return stageInElectron(file, name)
  const query = new URLSearchParams({ name, type: file.type })
  const res = await fetch(`/files/stage?${query.toString()}`, { method: 'POST', headers: { 'x-messenger-secret': secret }, body: file })
  const result = (await res.json()) as { ok: true; data: StagedFile } | { ok: false; error: { code: 'forbidden'; message: string } }
  if (!result.ok) throw new UiError(result.error)
  return result.data
}

async function stageInElectron(file: File, name: string): Promise<StagedFile> {
  const { pathForFile, stageDropped } = api()
  if (!pathForFile || !stageDropped) throw new UiError({ code: 'unavailable', message: 'This window cannot take dropped or pasted files; use the attach button.' })
  if (pathForFile(file)) return (await unwrap(stageDropped([file])))[0]!
  if (file.size > LIMITS.pastedBytesMax) {
    throw new UiError({ code: 'payload_too_large', message: `A pasted file can be at most ${LIMITS.pastedBytesMax / 1024 / 1024} MB; save it and attach it instead.` })
  }
  return unwrap(api().files.stageBytes({ name, type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) }))
}

/** A finished download, fetched from the host (the browser's "open"). */
export function savedUrl(transferId: string): string {
  return `/files/saved/${transferId}?secret=${encodeURIComponent(hostSecret() ?? '')}`
}

export interface ImageInfo {
  width: number
  height: number
  thumbnail: string
}

/** Size and a small JPEG preview of an image, or null when it is not one the browser can draw. */
export async function imageInfo(file: Blob): Promise<ImageInfo | null> {
  if (!/^image\/(png|jpeg|gif|webp)$/.test(file.type)) return null
  try {
    const bitmap = await createImageBitmap(file)
    const scale = Math.min(1, THUMB_PX / Math.max(bitmap.width, bitmap.height))
    const canvas = document.createElement('canvas')
    canvas.width = Math.max(1, Math.round(bitmap.width * scale))
    canvas.height = Math.max(1, Math.round(bitmap.height * scale))
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
    const thumbnail = canvas.toDataURL('image/jpeg', 0.7)
    const info = { width: bitmap.width, height: bitmap.height, thumbnail }
    bitmap.close()
    return thumbnail.length <= LIMITS.thumbnailMax ? info : { ...info, thumbnail: canvas.toDataURL('image/jpeg', 0.4) }
  } catch {
    return null
  }
}
