// A conversation's incoming webhooks (issue 21), through main: the section
// that shows them holds no window.messenger calls.
import type { CreatedWebhook, Webhook } from '../../../shared/schemas/webhooks'
import { i18n } from '../i18n'
import { useStore } from '../store'
import { api, unwrap } from './api'

export const listWebhooks = (conversationId: string): Promise<Webhook[]> => unwrap(api().webhooks.list({ conversationId }))
export const createWebhook = (conversationId: string, name: string): Promise<CreatedWebhook> => unwrap(api().webhooks.create({ conversationId, name }))

/** Asks first in the app's confirm dialog; false when the person cancelled. */
export async function revokeWebhook(hook: Webhook): Promise<boolean> {
  const t = i18n.t
  const yes = await useStore.getState().confirm({
    title: t('hooks.webhooks.revokeTitle', { name: hook.name }),
    body: t('hooks.webhooks.revokeBody'),
    action: t('hooks.webhooks.revoke')
  })
  if (!yes) return false
  await unwrap(api().webhooks.revoke({ conversationId: hook.conversationId, webhookId: hook.id }))
  return true
}

/** Copies to the clipboard, or says in words that it could not. */
export async function copyText(text: string, failed: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text)
  } catch (err) {
    throw new Error(failed, { cause: err })
  }
}
