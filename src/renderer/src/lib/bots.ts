// Bot accounts (issue 21, server admins), through main: the admin section
// that shows them holds no window.messenger calls.
import type { Bot, CreateBotBody, CreatedBotTokenResponse } from '../../../shared/schemas/bots'
import { i18n } from '../i18n'
import { useStore } from '../store'
import { api, unwrap } from './api'
import { dayAndTime } from './format'

export const listBots = (): Promise<Bot[]> => unwrap(api().admin.bots())
export const createBot = (body: CreateBotBody): Promise<Bot> => unwrap(api().admin.createBot(body))
export const setBotConversations = (botId: string, conversationIds: string[]): Promise<Bot> =>
  unwrap(api().admin.updateBot({ botId, patch: { conversationIds } }))
export const createBotToken = (botId: string): Promise<CreatedBotTokenResponse> => unwrap(api().admin.createBotToken({ botId }))

/** Asks first; false when the person cancelled. */
export async function revokeBotToken(botId: string, token: { id: string; createdAt: string }): Promise<boolean> {
  const t = i18n.t
  const yes = await useStore.getState().confirm({ title: t('hooks.bots.revokeTokenTitle'), body: t('hooks.bots.revokeTokenBody'), action: t('hooks.webhooks.revoke') })
  if (!yes) return false
  await unwrap(api().admin.revokeBotToken({ botId, tokenId: token.id }))
  return true
}

/** Asks first; false when the person cancelled. */
export async function deleteBot(bot: Bot): Promise<boolean> {
  const t = i18n.t
  const yes = await useStore.getState().confirm({ title: t('hooks.bots.deleteTitle', { name: bot.user.displayName }), body: t('hooks.bots.deleteBody'), action: t('hooks.bots.delete') })
  if (!yes) return false
  await unwrap(api().admin.deleteBot({ botId: bot.user.id }))
  return true
}

export const tokenLabel = (createdAt: string): string => i18n.t('hooks.bots.revokeToken', { time: dayAndTime(createdAt) })
