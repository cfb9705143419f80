// A picked image file as the data: URL the server accepts for a group picture.
import { LIMITS } from '../../../../shared/limits'
import { i18n } from '../../i18n'

const TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif']
export const AVATAR_ACCEPT = TYPES.join(',')

/** The data: URL, or an Error whose message says in words what is wrong. */
export function readAvatar(file: File): Promise<string> {
  if (!TYPES.includes(file.type)) return Promise.reject(new Error(i18n.t('dialogs.picture.type')))
  const tooLarge = new Error(i18n.t('dialogs.picture.tooLarge', { kb: Math.floor((LIMITS.avatarMax * 3) / 4 / 1024) }))
  // base64 grows by a third: a file this large cannot fit.
  if ((file.size * 4) / 3 > LIMITS.avatarMax) return Promise.reject(tooLarge)
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onerror = () => reject(new Error(i18n.t('dialogs.picture.unreadable')))
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : ''
      if (!url.startsWith('data:image/')) reject(new Error(i18n.t('dialogs.picture.unreadable')))
      else if (url.length > LIMITS.avatarMax) reject(tooLarge)
      else resolve(url)
    }
    reader.readAsDataURL(file)
  })
}
