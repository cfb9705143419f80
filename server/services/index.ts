import { silentLogger, type Logger } from '../logger'
import { createLimiter, takeOrWait } from '../cluster/limits'
import type { RedisLink } from '../cluster/redis'
import type { Store } from '../store/types'
import { AdminService, type AdminSettings } from './admin.service'
import type { FileStore } from '../files/file-store'
import { FileService, type FileLimits } from '../files/files.service'
import { AuthService } from './auth.service'
import { CallLogService } from './call-log.service'
import { ContactService, DEFAULT_CONTACT_LIMITS, type InvitationSlots } from './contacts.service'
import { ConversationService } from './conversations.service'
import { DraftService } from './drafts.service'
import { ScheduledService } from './scheduled.service'
import { isScheduledClientId } from '../../src/shared/schemas/scheduled'
import { GroupService } from './groups.service'
import { JoinCodeService } from './join-codes.service'
import { MentionService } from './mentions'
import { MessageService } from './messages.service'
import { LinkPreviewService } from './link-previews/link-previews.service'
import { NotificationPrefsService } from './notification-prefs.service'
import { PinService } from './pins.service'
import { SavedService } from './saved.service'
import { ReceiptService } from './receipts.service'
import { RetentionService } from './retention.service'
import { RoomService } from './rooms.service'
import { SearchService } from './search.service'
import { ThreadService } from './threads.service'
import { createSendGate, type SendLimitsOption } from './send-limits'
import { TokenService, type TokenSettings } from './tokens'
import { UserGroupService } from './user-groups.service'
import { UserService } from './users.service'
import { BotService } from './bots.service'
import { DEFAULT_WEBHOOK_LIMIT, WebhookService, type WebhookLimit } from './webhooks.service'

export interface Services {
  store: Store
  tokens: TokenService
  auth: AuthService
  admin: AdminService
  calls: CallLogService
  users: UserService
  conversations: ConversationService
  contacts: ContactService
  drafts: DraftService
  groups: GroupService
  joinCodes: JoinCodeService
  messages: MessageService
  mentions: MentionService
  rooms: RoomService
  receipts: ReceiptService
  search: SearchService
  userGroups: UserGroupService
  files: FileService
  retention: RetentionService
  /** Issue 20. */
  pins: PinService
  saved: SavedService
  threads: ThreadService
  /** Issue 21: link previews fetched by the server. */
  linkPreviews: LinkPreviewService
  /** Issue 21 (i21-attention): notification preferences and do-not-disturb. */
  notificationPrefs: NotificationPrefsService
  /** Issue 21 item 4. */
  scheduled: ScheduledService,
  /** Issue 21. */
  webhooks: WebhookService
  bots: BotService
}

export function createServices(
  store: Store,
  tokenSettings: TokenSettings,
  scryptN: number,
  now: () => number = Date.now,
  files: { store: FileStore; limits: FileLimits },
  log: Logger = silentLogger(),
  adminSettings: AdminSettings = { resetCodeTtlMs: 3600_000, mailer: null },
  /** With several nodes: limits that count across all of them. */
  redis: RedisLink | null = null,
  /** Per-user budgets for messages, edits, reactions and uploads (see send-limits.ts). */
  sendLimits: SendLimitsOption = {},
  /** Issue 21: posts per webhook. */
  webhookLimit: WebhookLimit = DEFAULT_WEBHOOK_LIMIT
): Services {
  const charge = createSendGate(sendLimits, redis)
  const tokens = new TokenService(store.tokens, tokenSettings)
  const retention = new RetentionService(store, files.store, now, log)
  // A changed retention setting takes effect at once, not at the next hourly run.
  const admin = new AdminService(store, adminSettings, now, log, () => void retention.run())
  const conversations = new ConversationService(store)
  const groups = new GroupService(store, conversations)
  const userGroups = new UserGroupService(store, now)
  const mentions = new MentionService(store)
  const threads = new ThreadService(store, conversations)
  // The per-file limit is the admins' setting, never above the operator's hard cap (--max-file-size).
  const fileService = new FileService(
    files.store,
    conversations,
    files.limits,
    now,
    (name, job) => store.exclusive(name, job),
    async () => (await store.admin.settings()).maxFileBytes,
    charge
  )
  const messages = new MessageService(store, conversations, now, fileService, mentions, charge, threads)
  const drafts = new DraftService(store, conversations, log)
  // A scheduled message, sent at its time, leaves the composer's draft alone: its sender may be writing something else there.
  messages.onSent = (message) => (isScheduledClientId(message.clientId) ? Promise.resolve() : drafts.messageSent(message))
  const scheduled = new ScheduledService(store, conversations, fileService, messages, now, log)
  const linkPreviews = new LinkPreviewService(store, files.store, conversations, now, log)
  messages.onStored = (message) => linkPreviews.messageStored(message)
  messages.onDeleted = (before) => linkPreviews.messageDeleted(before)
  const bots = new BotService(store, groups, now)
  tokens.bots = bots
  return {
    store,
    tokens,
    drafts,
    scheduled,
    auth: new AuthService(store.users, tokens, scryptN, admin, store.locks, (username) => userGroups.handleInUse(username)),
    admin,
    calls: new CallLogService(store),
    users: new UserService(store.users, now),
    conversations,
    contacts: new ContactService(store, now, undefined, store.locks, redis ? sharedInvitationSlots(redis) : null),
    groups,
    joinCodes: new JoinCodeService(store, conversations, now),
    messages,
    mentions,
    rooms: new RoomService(store),
    receipts: new ReceiptService(store, conversations, now),
    search: new SearchService(store),
    userGroups,
    files: fileService,
    retention,
    pins: new PinService(store, conversations, now),
    saved: new SavedService(store, conversations, now),
    threads,
    linkPreviews,
    notificationPrefs: new NotificationPrefsService(store, now),
    webhooks: new WebhookService(store, conversations, groups, messages, webhookLimit, redis, now),
    bots
  }
}

/** The hourly invitation limit, counted in Redis so each node does not grant its own 30. */
function sharedInvitationSlots(redis: RedisLink): InvitationSlots {
  const limiter = createLimiter({ points: DEFAULT_CONTACT_LIMITS.invitationsPerHour, durationMs: 3600_000, keyPrefix: 'invitations' }, redis)
  return async (userId) => {
    const wait = await takeOrWait(limiter, userId)
    return wait === null ? null : { retryInMs: wait }
  }
}
