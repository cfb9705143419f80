// A picked image file as the data: URL the server accepts for a group picture.
import { LIMITS } from '../../../../shared/limits'

const TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif']
export const AVATAR_ACCEPT = TYPES.join(',')

/** The data: URL, or an Error whose message says in words what is wrong. */
export function readAvatar(file: File): Promise<string> {
  if (!TYPES.includes(file.type)) return Promise.reject(new Error('Pick a PNG, JPEG, WebP or GIF picture.'))
  const tooLarge = new Error(`That picture is too large. Pick one smaller than ${Math.floor((LIMITS.avatarMax * 3) / 4 / 1024)} KB.`)
  // base64 grows by a third: a file this large cannot fit.
  if ((file.size * 4) / 3 > LIMITS.avatarMax) return Promise.reject(tooLarge)
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onerror = () => reject(new Error('Could not read that file.'))
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : ''
      if (!url.startsWith('data:image/')) reject(new Error('Could not read that file.'))
      else if (url.length > LIMITS.avatarMax) reject(tooLarge)
      else resolve(url)
    }
    reader.readAsDataURL(file)
  })
}
