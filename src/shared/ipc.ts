// The IPC contract between the renderer and the main process: every method
// with its request schema and response type, and the events main sends. The
// preload (Electron) and the web bridge (Node host) both build
// `window.messenger` from this table, and main validates every request with
// its schema before use. Names are `domain.verb`; the renderer calls
// `window.messenger.domain.verb(request)`.
import type { NotificationPrefs } from './schemas/notification-prefs'
import { UpdateNotificationPrefsBody } from './schemas/notification-prefs'
import { z } from 'zod'
import type { ErrorBody, Result } from './errors'
import { AppearanceChange, type Appearance } from './schemas/appearance'
import type { AdminUser, ForgotPasswordResponse, Invite, PasswordReset, ServerInfo, ServerSettings } from './schemas/admin'
import { CreateInviteBody, InviteParams, UpdateAdminUserBody, UpdateSettingsBody } from './schemas/admin'
import type { DiscoveredServer } from './discovery'
import { normalizeFingerprint } from './fingerprint'
import { Id, Timestamp } from './schemas/common'
import { CallJoinPayload, CallMediaPayload, CallRefPayload, CallSignalPayload, CallStartPayload } from './schemas/calls'
import type { Call, CallEnded, CallJoined, CallSignal } from './schemas/calls'
import type { Invitation } from './schemas/contacts'
import { CreateInvitationBody } from './schemas/contacts'
import type { Conversation, MemberRole } from './schemas/conversations'
import { GroupTitle, MemberRole as MemberRoleSchema } from './schemas/conversations'
import { AddMembersBody, CreateJoinCodeBody, JoinCodeText, SOME_GROUP_FIELD, someGroupField, updateGroupFields, type JoinCode } from './schemas/groups'
import { FileName, Sha256, Thumbnail } from './schemas/files'
import { HostingNetworkChoice, type HostingInterface, type HostingListen } from './schemas/hosting'
import type { ExportConversation, ExportManifest } from './schemas/export'
import { EditMessageBody, Emoji, MessageText, sendMessageFields, type BroadcastMention, type Message } from './schemas/messages'
import { SetDraftRequest, type Draft } from './schemas/drafts'
import { ScheduledRefPayload, UpdateScheduledPayload, type ScheduledMessage } from './schemas/scheduled'
import type { Presence, PresenceStatus, TypingUpdate } from './schemas/presence'
import { ActiveStatus, ListPresencePayload } from './schemas/presence'
import type { MessageReceipts } from './schemas/receipts'
import { EnterRoomBody, type RoomSummary } from './schemas/rooms'
import type { SearchResponse } from './schemas/search'
import type { Pin } from './schemas/pins'
import type { SavedItem } from './schemas/saved'
import type { FollowedThread } from './schemas/threads'
import { DisplayName, UpdateMeBody, Username, type Me, type PublicUser } from './schemas/users'
import { LIMITS } from './limits'
import { CreateUserGroupBody, PatchUserGroupBody, type UserGroup } from './schemas/user-groups'
import { WebhookName, type CreatedWebhook, type Webhook } from './schemas/webhooks'
import { CreateBotBody, UpdateBotBody, type Bot, type CreatedBotTokenResponse } from './schemas/bots'

// ---------------------------------------------------------------- views

/** A screen or window Electron can share, for the app's picker. */
export interface ScreenSource {
  id: string
  name: string
  kind: 'screen' | 'window'
  /** A small PNG data: URL of what it shows. */
  thumbnail: string
}

/** An account this app has signed in to: one user on one server. */
export interface AccountSummary {
  /** Stable local id derived from server and user. */
  id: string
  serverUrl: string
  userId: string
  username: string
  displayName: string
  /** What the server calls itself (its /health name) when signed in; absent for accounts kept before it was recorded. */
  serverName?: string | null
}

/** A server this app has signed in to, kept after signing out so the first-run screen can offer it. */
export interface KnownServer {
  serverUrl: string
  name: string | null
}

/** Unread messages per signed-in account (muted conversations left out), by account id. */
export type UnreadByAccount = Record<string, number>

/** New messages of a signed-in account other than the one the window shows: for notifications that name the account. */
export interface AccountMessages {
  accountId: string
  conversation: Conversation
  muted: boolean
  upserted: Message[]
}

export type SessionState =
  /** `revoked`: the server ended the sign-in (signed out elsewhere, password reset); `disabled`: a server admin disabled the account. */
  | { status: 'signed_out'; reason: SignedOutReason; accounts: AccountSummary[] }
  | { status: 'signed_in'; account: AccountSummary; me: Me; accounts: AccountSummary[] }

/** `data_too_new`: the last account's data on this computer was written by a newer app; it stays closed until the app is updated. */
export type SignedOutReason = 'start' | 'logout' | 'revoked' | 'disabled' | 'data_too_new'

export type ConnectionStatus = 'signed_out' | 'connecting' | 'online' | 'reconnecting' | 'offline'

export interface ConnectionState {
  status: ConnectionStatus
  /** Messages written offline that wait in the outbox. */
  queued: number
  /** Fetching what was missed since the last connection. */
  syncing: boolean
  /** Why the last attempt failed, for "offline: server unreachable". */
  error: ErrorBody | null
}

/** A file of a message not sent yet: it is sent once every file is uploaded. */
export interface PendingAttachment {
  transferId: string
  name: string
  size: number
  type: string
  /** The server's file id, once the upload is complete. */
  fileId?: string
  width?: number
  height?: number
  thumbnail?: string
}

/** A message the user wrote that the server has not acknowledged yet. */
export interface PendingMessage {
  clientId: string
  conversationId: string
  text: string
  replyTo?: number
  mentions?: string[]
  /** @here or @all in the text (issue 20, mentions). */
  mentionAll?: BroadcastMention
  /** User groups written as @handle. */
  mentionGroups?: string[]
  attachments?: PendingAttachment[]
  /** A reply in the thread of this root; alsoInConversation: shown in the conversation too. */
  threadRoot?: number
  alsoInConversation?: boolean
  /** Issue 20: a forward of this message (its text above is the source's, shown while pending; the server copies it). */
  forward?: { conversationId: string; seq: number }
  createdAt: string
  /** failed: the server refused it (see error); it waits for retry or discard. */
  state: 'pending' | 'failed'
  error: ErrorBody | null
}

export interface MessagesPage {
  /** Acknowledged messages in ascending seq. */
  messages: Message[]
  /** The outbox of this conversation, oldest first: shown after the messages. */
  pending: PendingMessage[]
  /** Older messages exist (in the cache or on the server). */
  hasMore: boolean
}

/** A thread as the panel shows it: from the cache, brought up to date from the server when online. */
export interface ThreadView {
  /** Null when neither the cache nor the server (offline) has it. */
  root: Message | null
  /** Acknowledged replies in ascending seq. */
  replies: Message[]
  /** Unsent replies of this thread, oldest first. */
  pending: PendingMessage[]
  /** Older replies exist on the server than these. */
  hasMore: boolean
}

export interface SecretStorageStatus {
  /** Tokens are encrypted at rest by the OS keychain or an equivalent. */
  secure: boolean
  /** Name of the backend ("keychain", "libsecret", "file", "basic_text"). */
  backend: string
  /** The user allowed keeping the sign-in unencrypted where no keyring exists. */
  allowPlaintext: boolean
  /** Sign-ins are kept between launches. */
  persistent: boolean
}

/** An https server's certificate as presented now, against the one this app pinned for it. */
export interface ServerCertificateInfo {
  /** SHA-256 of the certificate the server presents now. */
  fingerprint: string
  /** The fingerprint this app trusts for that address, if any. */
  pinned: string | null
  /** trusted: the pinned one; new: none pinned yet (ask the user); changed: another one is pinned (warn). */
  state: 'trusted' | 'new' | 'changed'
}

export interface ServerProbe {
  serverUrl: string
  version: string
  /** What the server calls itself, when it says. */
  name: string | null
  /** null for a plain-http server. */
  certificate: ServerCertificateInfo | null
}

/** The server this app hosts for the office (Settings → Host a server). */
export interface HostingStatus {
  /** unavailable: this build of the app cannot host. */
  state: 'unavailable' | 'stopped' | 'starting' | 'running' | 'stopping' | 'failed'
  /** Start it again whenever the app starts. */
  autoStart: boolean
  /** The port chosen; while running, the one it listens on. */
  port: number
  name: string
  /** SHA-256 of its certificate, known once it runs (it is made on first start). */
  fingerprint: string | null
  /** Where colleagues connect: one address per LAN interface. */
  urls: string[]
  /** Where this computer's own account connects. */
  localUrl: string | null
  /** Where it listens, as chosen (applied when it starts). */
  listen: HostingListen
  /** Advertise it on the LAN (mDNS), as chosen. */
  advertise: boolean
  /** Whether the running server advertises itself now; false when stopped. */
  advertised: boolean
  /** Running with other choices than `listen` and `advertise`: they apply once it restarts. */
  restartToApply: boolean
  /** This computer's addresses it can listen on alone (the "one interface" choice). */
  interfaces: HostingInterface[]
  /** Its data directory (the same format as the standalone server's). */
  dataDir: string
  error: ErrorBody | null
}

export interface HostingInvite {
  link: string
  /** The link as a QR code: an SVG data URL. */
  qr: string
}

/** A file chosen to send, held by main (the renderer never sees its path). */
export interface StagedFile {
  stagedId: string
  name: string
  size: number
  type: string
}

export type TransferState = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled'

/** An upload or download in main, with its progress. */
export interface TransferView {
  id: string
  direction: 'upload' | 'download'
  conversationId: string
  name: string
  size: number
  /** Bytes moved so far. */
  bytes: number
  /** Bytes per second over the last moments (0 when not running). */
  rate: number
  /** Seconds left at that rate, or null when unknown. */
  etaSeconds: number | null
  state: TransferState
  error: ErrorBody | null
  /** The server's file id (downloads; uploads once complete). */
  fileId: string | null
  /** Uploads: the outbox message it belongs to. */
  clientId: string | null
  /** Downloads, once done: the name it was saved under (never overwriting: "name (1).ext"). */
  savedName: string | null
}

export type ExportState = 'running' | 'done' | 'failed' | 'cancelled'

/** A history export running in main, with its progress. */
export interface ExportView {
  id: string
  /** The one conversation exported, or null for all of them. */
  conversationId: string | null
  format: 'html' | 'zip'
  attachments: boolean
  state: ExportState
  /** 0 to 1. */
  progress: number
  conversationsDone: number
  conversationsTotal: number
  /** Messages gathered so far. */
  messages: number
  /** Once done: the name of the file written. */
  fileName: string | null
  error: ErrorBody | null
  /** An admin's export of one user's data: their username (null for the user's own history). */
  subject: string | null
  /** Bytes written so far. */
  bytes: number
}

/** A JSON export (.zip) opened read-only: its manifest and every conversation in it. */
export interface ExportReadView {
  viewId: string
  manifest: ExportManifest
  conversations: ExportConversation[]
}

export interface AppInfo {
  version: string
  platform: string
  host: 'electron' | 'web'
}

// ---------------------------------------------------------------- requests

const Empty = z.strictObject({})
const ServerUrl = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .transform((s) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `http://${s}`))
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' }))
/** A typed address may leave out the scheme: https is tried first (the server's default), then http. */
const ServerAddress = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .transform((s) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? [s] : [`https://${s}`, `http://${s}`]))
  .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' })))
/** Any spelling a person may paste (colons, spaces, dashes, either case), passed on in the canonical one. */
export const Fingerprint = z
  .string()
  .max(200)
  .refine((text) => normalizeFingerprint(text) !== null, 'expected a SHA-256 fingerprint (32 hex bytes)')
  .transform((text) => normalizeFingerprint(text)!)
const ConversationRef = { conversationId: Id }
const MessageRef = { conversationId: Id, seq: z.number().int().min(1) }

/** What a send says of its mentions (issue 20): people by id, @here/@all, user groups. */
const MENTION_FIELDS = { mentions: sendMessageFields.mentions, mentionAll: sendMessageFields.mentionAll, mentionGroups: sendMessageFields.mentionGroups }

export const LoginRequest = z.strictObject({
  serverUrl: ServerUrl,
  username: z.string().min(1).max(LIMITS.usernameMax),
  password: z.string().min(1).max(LIMITS.passwordMax)
})
const NewPassword = z.string().min(LIMITS.passwordMin).max(LIMITS.passwordMax)
export const RegisterRequest = z.strictObject({
  serverUrl: ServerUrl,
  username: Username,
  password: NewPassword,
  displayName: DisplayName.optional(),
  /** Needed on a server that takes new accounts by invitation only. */
  inviteCode: JoinCodeText.optional()
})
export const ResetPasswordRequest = z.strictObject({
  serverUrl: ServerUrl,
  username: z.string().min(1).max(LIMITS.usernameMax),
  code: JoinCodeText,
  password: NewPassword
})

interface MethodSpec<Req extends z.ZodType, Res> {
  request: Req
  /** Phantom: the response type, never a value. */
  response?: Res
}

function method<Res>() {
  return <Req extends z.ZodType>(request: Req): MethodSpec<Req, Res> => ({ request })
}

export const IPC_METHODS = {
  'app.info': method<AppInfo>()(Empty),
  'app.secretStorage': method<SecretStorageStatus>()(Empty),
  /** Keep the sign-in in a plain file where the OS has no keyring (Linux basic_text). */
  'app.allowPlaintextSecrets': method<SecretStorageStatus>()(z.strictObject({ allow: z.boolean() })),
  /** The window's theme and text size on this device. */
  'app.appearance': method<Appearance>()(Empty),
  'app.setAppearance': method<Appearance>()(AppearanceChange),

  /** Is there a messenger server at this address? Over https, also its certificate against the pinned one. */
  'server.probe': method<ServerProbe>()(z.strictObject({ serverUrl: ServerAddress })),
  /** The server's name and how to get an account there (open, invite-only, closed), before signing in. */
  'server.info': method<ServerInfo>()(z.strictObject({ serverUrl: ServerUrl })),
  /** Pin the certificate this https server presents, if it has this fingerprint (the user compared it, or an invite link gave it). */
  'server.trust': method<ServerCertificateInfo>()(z.strictObject({ serverUrl: ServerUrl, fingerprint: Fingerprint })),

  /** Start listing messenger servers found on the LAN (mDNS); the list so far, then `servers` events. */
  'discovery.start': method<DiscoveredServer[]>()(Empty),
  'discovery.stop': method<null>()(Empty),

  'hosting.status': method<HostingStatus>()(Empty),
  /** Starts the bundled server in its own process; resolves once it listens (or failed). */
  'hosting.start': method<HostingStatus>()(
    z.strictObject({ port: z.number().int().min(0).max(65535).optional(), name: z.string().trim().min(1).max(60).optional() })
  ),
  'hosting.stop': method<HostingStatus>()(Empty),
  'hosting.setAutoStart': method<HostingStatus>()(z.strictObject({ autoStart: z.boolean() })),
  /** Where it listens and whether it is advertised; kept, and applied when it (re)starts. */
  'hosting.setNetwork': method<HostingStatus>()(HostingNetworkChoice),
  /** An invite link (with the fingerprint, and a group join code if given) and its QR code. */
  /** `code`: a group join code; `invite`: a sign-up invite code (invite-only servers). */
  'hosting.invite': method<HostingInvite>()(
    z.strictObject({ serverUrl: ServerUrl.optional(), code: JoinCodeText.optional(), invite: JoinCodeText.optional() })
  ),

  'session.get': method<SessionState>()(Empty),
  'session.register': method<SessionState>()(RegisterRequest),
  'session.login': method<SessionState>()(LoginRequest),
  /** Signs the shown account out on the server and deletes its local data; another signed-in account, if any, is shown next. */
  'session.logout': method<SessionState>()(Empty),
  /** Unread messages of every signed-in account (each stays connected, the shown one or not). */
  'session.unread': method<UnreadByAccount>()(Empty),
  /** Servers signed in to before, most recent first, kept after signing out. */
  'session.knownServers': method<KnownServer[]>()(Empty),
  /** Shows another signed-in account (they all stay connected), or signs in to a saved one with its kept sign-in. */
  'session.switchAccount': method<SessionState>()(z.strictObject({ accountId: z.string().regex(/^[a-f0-9]{32}$/) })),
  /** "Forgot password?": asks for a reset code by email, or says to ask an admin. Signed out. */
  'session.requestReset': method<ForgotPasswordResponse>()(
    z.strictObject({ serverUrl: ServerUrl, username: z.string().min(1).max(LIMITS.usernameMax) })
  ),
  /** Sets a new password with a one-time reset code and signs in. */
  'session.resetPassword': method<SessionState>()(ResetPasswordRequest),

  'connection.get': method<ConnectionState>()(Empty),
  /** Try to connect now instead of waiting for the next backoff step. */
  'connection.retry': method<ConnectionState>()(Empty),

  'profile.update': method<Me>()(UpdateMeBody),
  /** Everyone this account has met in a conversation, including people who have left since. */
  'users.known': method<PublicUser[]>()(Empty),
  'users.search': method<PublicUser[]>()(
    z.strictObject({ query: z.string().trim().max(LIMITS.usernameMax).optional(), limit: z.number().int().min(1).max(LIMITS.searchResultsMax).optional() })
  ),

  /** From the local cache, most recent activity first. */
  'conversations.list': method<Conversation[]>()(Empty),
  'conversations.get': method<Conversation>()(z.strictObject(ConversationRef)),
  /** A direct chat, or an invitation when the other person accepts chats from contacts only. */
  'conversations.openDirect': method<{ conversation: Conversation } | { invitation: Invitation }>()(
    z.strictObject({ userId: Id })
  ),
  'conversations.createGroup': method<Conversation>()(
    z.strictObject({ title: GroupTitle, memberIds: z.array(Id).max(LIMITS.groupMembersMax) })
  ),
  'conversations.update': method<Conversation>()(
    z.strictObject({ ...ConversationRef, ...updateGroupFields }).refine(someGroupField, { message: SOME_GROUP_FIELD })
  ),
  'conversations.delete': method<null>()(z.strictObject(ConversationRef)),
  'conversations.leave': method<null>()(z.strictObject(ConversationRef)),
  'conversations.addMembers': method<Conversation>()(AddMembersBody.extend(ConversationRef)),
  'conversations.removeMember': method<null>()(z.strictObject({ ...ConversationRef, userId: Id })),
  'conversations.setRole': method<Conversation>()(z.strictObject({ ...ConversationRef, userId: Id, role: MemberRoleSchema })),
  'conversations.clear': method<{ clearedSeq: number }>()(z.strictObject(ConversationRef)),
  /** Move the read position forward: read receipts and the unread badge follow. */
  /** Muted conversations still count unread messages but never notify; a setting of this device. */
  'conversations.setMuted': method<string[]>()(z.strictObject({ ...ConversationRef, muted: z.boolean() })),
  'conversations.muted': method<string[]>()(Empty),
  'conversations.markRead': method<{ readSeq: number }>()(z.strictObject({ ...ConversationRef, seq: z.number().int().min(0) })),
  'conversations.getJoinCode': method<JoinCode | null>()(z.strictObject(ConversationRef)),
  'conversations.createJoinCode': method<JoinCode>()(CreateJoinCodeBody.extend(ConversationRef)),
  'conversations.revokeJoinCode': method<null>()(z.strictObject(ConversationRef)),
  'conversations.join': method<Conversation>()(z.strictObject({ code: JoinCodeText })),

  /** A page from the cache; older pages are fetched from the server when online. */
  'messages.page': method<MessagesPage>()(
    z.strictObject({ ...ConversationRef, before: z.number().int().min(1).optional(), limit: z.number().int().min(1).max(LIMITS.pageSizeMax).optional() })
  ),
  /** Writes to the outbox at once (pending) and sends when connected. Text only; files go with `files.send`. */
  'messages.send': method<PendingMessage>()(
    z.strictObject({
      ...ConversationRef,
      text: MessageText,
      replyTo: sendMessageFields.replyTo,
      ...MENTION_FIELDS,
      threadRoot: sendMessageFields.threadRoot,
      alsoInConversation: sendMessageFields.alsoInConversation
    })
  ),
  'messages.retry': method<PendingMessage>()(z.strictObject({ clientId: z.string().min(1).max(LIMITS.clientIdMax) })),
  'messages.discard': method<null>()(z.strictObject({ clientId: z.string().min(1).max(LIMITS.clientIdMax) })),
  'messages.edit': method<Message>()(EditMessageBody.extend(MessageRef)),
  'messages.delete': method<Message>()(z.strictObject(MessageRef)),
  /** Adds the reaction, or takes it back when the user already gave it. */
  'messages.react': method<Message>()(z.strictObject({ ...MessageRef, emoji: Emoji })),
  'messages.receipts': method<MessageReceipts>()(z.strictObject(MessageRef)),
  /** Issue 21: the sender removes the link preview of their message (online only); it stays removed, even after edits. */
  'messages.removePreview': method<Message>()(z.strictObject(MessageRef)),
  /** Issue 20 (message menu): forward a message to one or more conversations, one outbox entry each (sent when connected, like any message). */
  'messageMenu.forward': method<PendingMessage[]>()(
    z.strictObject({ from: z.strictObject(MessageRef), to: z.array(Id).min(1).max(LIMITS.forwardTargetsMax) })
  ),
  /** Issue 20: mark unread from this message (online only: the server moves the read position back); the conversation as it is now. */
  'messageMenu.markUnread': method<Conversation>()(z.strictObject(MessageRef)),
  'messages.search': method<SearchResponse>()(
    z.strictObject({ query: z.string().trim().min(1).max(200), before: z.string().regex(/^\d{1,16}$/).optional(), limit: z.number().int().min(1).max(LIMITS.searchResultsMax).optional() })
  ),

  // Threads (issue 20, item 3)
  /** A thread's root and replies: from the cache (offline too), fetched from the server first when online. */
  'threads.page': method<ThreadView>()(z.strictObject({ ...ConversationRef, rootSeq: z.number().int().min(1) })),
  /** The followed threads, unread first (cached; the server's list when online). */
  'threads.list': method<FollowedThread[]>()(Empty),
  /** The user read the thread up to seq: its unread count clears (and on their other devices). */
  'threads.read': method<FollowedThread | null>()(z.strictObject({ ...ConversationRef, rootSeq: z.number().int().min(1), seq: z.number().int().min(0) })),
  'threads.follow': method<FollowedThread>()(z.strictObject({ ...ConversationRef, rootSeq: z.number().int().min(1), following: z.boolean() })),

  /** Electron: a file dialog in main. Hosts without one answer `unavailable` (the browser stages bytes over the host instead). */
  'files.pick': method<StagedFile[]>()(Empty),
  /**
   * Electron: files dropped on the page, by the paths the preload found for
   * them (webUtils.getPathForFile). Only the preload's `stageDropped` calls
   * it: the page's own `files.stagePaths` is refused, so a page that went
   * wrong cannot name any file on disk. Hosts whose page has no paths answer
   * `unavailable` (the browser stages bytes over the host).
   */
  'files.stagePaths': method<StagedFile[]>()(z.strictObject({ paths: z.array(z.string().min(1).max(4096)).min(1).max(LIMITS.attachmentsMax) })),
  /** Electron: a pasted image, which has no path: its bytes (up to LIMITS.pastedBytesMax). */
  'files.stageBytes': method<StagedFile>()(
    z.strictObject({
      name: FileName,
      type: z.string().max(255),
      bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength <= LIMITS.pastedBytesMax, `at most ${LIMITS.pastedBytesMax} bytes; send bigger files from disk`)
    })
  ),
  /** Uploads the staged files, then sends the message with them (through the outbox). */
  'files.send': method<PendingMessage>()(
    z.strictObject({
      ...ConversationRef,
      text: sendMessageFields.text,
      replyTo: sendMessageFields.replyTo,
      ...MENTION_FIELDS,
      files: z
        .array(
          z.strictObject({
            stagedId: Id,
            width: z.number().int().min(1).max(100_000).optional(),
            height: z.number().int().min(1).max(100_000).optional(),
            thumbnail: Thumbnail.optional()
          })
        )
        .min(1)
        .max(LIMITS.attachmentsMax)
    })
  ),
  /** Downloads an attachment into the download folder, verified against its checksum. */
  'files.download': method<TransferView>()(
    z.strictObject({ ...ConversationRef, fileId: Id, name: FileName, size: z.number().int().min(0), sha256: Sha256 })
  ),
  /** An image attachment in full, for the full view (as a data: URL; images up to 32 MB). */
  'files.preview': method<{ dataUrl: string }>()(z.strictObject({ fileId: Id })),
  'files.downloadDir': method<{ directory: string }>()(Empty),
  /** Electron: pick the download folder in a dialog. */
  'files.chooseDownloadDir': method<{ directory: string }>()(Empty),

  /** Exports one conversation (or all, without conversationId) to HTML or a JSON zip; null when the user cancelled the save dialog. */
  'exports.start': method<ExportView | null>()(
    z.strictObject({ conversationId: Id.optional(), format: z.enum(['html', 'zip']), attachments: z.boolean() })
  ),
  'exports.list': method<ExportView[]>()(Empty),
  /** Server admins: one user's data as the server exports it (a zip), saved like a history export. */
  'exports.userData': method<ExportView | null>()(z.strictObject({ userId: Id, username: z.string().min(1).max(LIMITS.usernameMax) })),
  'exports.cancel': method<ExportView>()(z.strictObject({ id: Id })),
  'exports.showInFolder': method<null>()(z.strictObject({ id: Id })),
  /** Opens a JSON export read-only: Electron picks it in a dialog (null when cancelled); the browser stages it first. */
  'exports.open': method<ExportReadView | null>()(z.strictObject({ stagedId: Id.optional() })),
  /** An image inside an opened export, as a data: URL. */
  'exports.image': method<{ dataUrl: string }>()(z.strictObject({ viewId: Id, path: z.string().min(1).max(1000) })),
  'exports.close': method<null>()(z.strictObject({ viewId: Id })),

  'transfers.list': method<TransferView[]>()(Empty),
  'transfers.pause': method<TransferView>()(z.strictObject({ id: Id })),
  'transfers.resume': method<TransferView>()(z.strictObject({ id: Id })),
  'transfers.cancel': method<TransferView>()(z.strictObject({ id: Id })),
  /** Opens a finished download with the system's app (where the host can). */
  'transfers.open': method<null>()(z.strictObject({ id: Id })),
  'transfers.showInFolder': method<null>()(z.strictObject({ id: Id })),

  'rooms.list': method<RoomSummary[]>()(
    z.strictObject({ query: z.string().trim().max(LIMITS.roomNameMax).optional(), limit: z.number().int().min(1).max(LIMITS.searchResultsMax).optional() })
  ),
  /** Joins the room of that name, creating it if there is none. */
  'rooms.enter': method<Conversation>()(EnterRoomBody),
  'rooms.join': method<Conversation>()(z.strictObject({ roomId: Id })),

  'contacts.list': method<PublicUser[]>()(Empty),
  'contacts.remove': method<null>()(z.strictObject({ userId: Id })),
  'invitations.list': method<{ incoming: Invitation[]; outgoing: Invitation[] }>()(Empty),
  'invitations.send': method<Invitation>()(CreateInvitationBody),
  'invitations.accept': method<Invitation>()(z.strictObject({ invitationId: Id })),
  'invitations.decline': method<Invitation>()(z.strictObject({ invitationId: Id })),
  'invitations.cancel': method<null>()(z.strictObject({ invitationId: Id })),

  // Issue 20 (pins): pinned messages per conversation and the saved list, cached here so they show offline.
  /** The conversation's pins, newest first: from the server when online (and cached), else as cached. */
  'pins.list': method<Pin[]>()(z.strictObject(ConversationRef)),
  /** Group and room admins, both people of a direct chat; answers the whole list after the change. */
  'pins.pin': method<Pin[]>()(z.strictObject(MessageRef)),
  'pins.unpin': method<Pin[]>()(z.strictObject(MessageRef)),
  /** The user's saved messages, newest first: from the server when online (and cached), else as cached. */
  'saved.list': method<SavedItem[]>()(Empty),
  'saved.save': method<SavedItem>()(z.strictObject(MessageRef)),
  'saved.unsave': method<null>()(z.strictObject(MessageRef)),

  /** Server administration (server admins only; others get forbidden). */
  'admin.users': method<AdminUser[]>()(Empty),
  /** Disable (signs the account out everywhere) or enable an account, make or revoke an admin. */
  'admin.updateUser': method<AdminUser>()(UpdateAdminUserBody.safeExtend({ userId: Id })),
  /** A one-time code to hand to the user (null when it was emailed); signs the account out everywhere. */
  'admin.resetPassword': method<PasswordReset>()(z.strictObject({ userId: Id })),
  'admin.settings': method<ServerSettings>()(Empty),
  'admin.updateSettings': method<ServerSettings>()(UpdateSettingsBody),
  'admin.invites': method<Invite[]>()(Empty),
  'admin.createInvite': method<Invite>()(CreateInviteBody),
  'admin.deleteInvite': method<null>()(InviteParams),

  // ---- user groups (issue 20, i20-ug)
  /** From the cache (fetched at sign-in and each reconnect, kept by the server's events), by handle. */
  'userGroups.list': method<UserGroup[]>()(Empty),
  /** Server admins. */
  'userGroups.create': method<UserGroup>()(CreateUserGroupBody),
  /** Server admins: anything; the group's managers: name and members. */
  'userGroups.update': method<UserGroup>()(z.strictObject({ userGroupId: Id, patch: PatchUserGroupBody })),
  /** Server admins. */
  'userGroups.delete': method<null>()(z.strictObject({ userGroupId: Id })),

  // ---- incoming webhooks (issue 21, i21-hooks): a group's or room's admins; online only, nothing cached.
  'webhooks.list': method<Webhook[]>()(z.strictObject(ConversationRef)),
  /** Its URL and token are in this answer only (the server keeps a hash). */
  'webhooks.create': method<CreatedWebhook>()(z.strictObject({ ...ConversationRef, name: WebhookName })),
  'webhooks.revoke': method<null>()(z.strictObject({ ...ConversationRef, webhookId: Id })),

  // ---- bot accounts (issue 21, i21-hooks): server admins; online only.
  'admin.bots': method<Bot[]>()(Empty),
  'admin.createBot': method<Bot>()(CreateBotBody),
  'admin.updateBot': method<Bot>()(z.strictObject({ botId: Id, patch: UpdateBotBody })),
  'admin.deleteBot': method<null>()(z.strictObject({ botId: Id })),
  /** The secret is in this answer only. */
  'admin.createBotToken': method<CreatedBotTokenResponse>()(z.strictObject({ botId: Id })),
  'admin.revokeBotToken': method<null>()(z.strictObject({ botId: Id, tokenId: Id })),

  // ---- notification preferences and do-not-disturb (issue 21, i21-attention): kept by the server for every device.
  /** From the cache (fetched at sign-in and each reconnect, kept by notification-prefs:updated). */
  'notifications.prefs': method<NotificationPrefs>()(Empty),
  'notifications.update': method<NotificationPrefs>()(UpdateNotificationPrefsBody),

  // ---- notifying (issue 21, i21-notify)
  /** The window says whether its user looks at it (focused and visible): the browser host tells only windows not looked at of new messages. Electron knows its window itself. */
  'window.attention': method<null>()(z.strictObject({ focused: z.boolean(), visible: z.boolean() })),

  /** This device is in use (online) or idle (away). */
  'presence.set': method<{ status: PresenceStatus }>()(z.strictObject({ status: ActiveStatus })),
  'presence.list': method<Presence[]>()(ListPresencePayload),
  'typing.start': method<null>()(z.strictObject(ConversationRef)),
  'typing.stop': method<null>()(z.strictObject(ConversationRef)),

  // Group invite links (i20-drafts): the messenger:// link of a join code on the shown account's server (with its pinned
  // certificate fingerprint), and the server's web page of it (GET /join/{code}) for email and chats.
  'invites.link': method<{ link: string; web: string }>()(z.strictObject({ code: JoinCodeText })),

  // Drafts (i20-drafts): kept by the core per account, synced through the server to the user's other devices.
  /** The drafts with text or a reply, of the shown account. */
  'drafts.list': method<Draft[]>()(Empty),
  /** The composer's text changed (an empty text with no replyTo deletes it): kept at once, sent after a pause in typing. */
  'drafts.set': method<Draft>()(SetDraftRequest),

  // Scheduled messages (issue 21 item 4): kept and sent by the server; the core caches the list per account (readable offline).
  /** The shown account's scheduled messages, soonest first (the cached list; fetched on each connection). */
  'scheduled.list': method<ScheduledMessage[]>()(Empty),
  /** Schedules a text message (online only: the server keeps it; offline answers `unreachable`). */
  'scheduled.create': method<ScheduledMessage>()(
    z.strictObject({
      ...ConversationRef,
      text: MessageText,
      sendAt: Timestamp,
      replyTo: sendMessageFields.replyTo,
      ...MENTION_FIELDS,
      threadRoot: sendMessageFields.threadRoot,
      alsoInConversation: sendMessageFields.alsoInConversation
    })
  ),
  'scheduled.update': method<ScheduledMessage>()(UpdateScheduledPayload),
  'scheduled.cancel': method<null>()(ScheduledRefPayload),
  /** Sends it now; its message comes as any message does. */
  'scheduled.sendNow': method<null>()(ScheduledRefPayload),

  /** Calls: the signalling goes through main's socket; media stays in the window (WebRTC). */
  'calls.start': method<CallJoined>()(CallStartPayload),
  'calls.join': method<CallJoined>()(CallJoinPayload),
  'calls.decline': method<null>()(CallRefPayload),
  'calls.leave': method<null>()(CallJoinPayload),
  'calls.signal': method<null>()(CallSignalPayload),
  'calls.media': method<Call>()(CallMediaPayload),
  'calls.list': method<Call[]>()(Empty),
  /** Electron: the screens and windows to share, for the app's own picker; null where the host has none (the browser's getDisplayMedia picks). */
  'calls.screenSources': method<ScreenSource[] | null>()(Empty),
  /** Electron: the source the next getDisplayMedia gets (null: the user cancelled the picker). */
  'calls.chooseScreenSource': method<null>()(z.strictObject({ sourceId: z.string().min(1).max(256).nullable() }))
} as const

export type IpcMethod = keyof typeof IPC_METHODS
export type IpcRequest<M extends IpcMethod> = z.input<(typeof IPC_METHODS)[M]['request']>
/** The request after validation: what main's handlers receive. */
export type IpcParsed<M extends IpcMethod> = z.output<(typeof IPC_METHODS)[M]['request']>
export type IpcResponse<M extends IpcMethod> = Exclude<(typeof IPC_METHODS)[M]['response'], undefined>

export const IPC_METHOD_NAMES = Object.keys(IPC_METHODS) as IpcMethod[]

/** The Electron IPC channel of a method; the Node host uses the method name itself. */
export function ipcChannel(method: IpcMethod): string {
  return `messenger:${method}`
}

/** The one channel that carries batched events from main to the renderer. */
export const IPC_EVENTS_CHANNEL = 'messenger:events'

// ---------------------------------------------------------------- events

export interface MessengerEvents {
  session: SessionState
  connection: ConnectionState
  /** Conversations added or changed in the cache, and those gone (left, removed, deleted). */
  conversations: { upserted: Conversation[]; removed: string[] }
  /** Acknowledged messages added or changed (edited, deleted, reacted) in one conversation. */
  messages: { conversationId: string; upserted: Message[] }
  /** The outbox changed: new, failed or retried messages, and those sent or discarded. */
  outbox: { upserted: PendingMessage[]; removed: string[] }
  /** History up to clearedSeq was cleared (on any device of the user) or deleted by the server's retention: its rows go. */
  cleared: { conversationId: string; clearedSeq: number }
  presence: Presence[]
  typing: TypingUpdate[]
  invitation: { invitation: Invitation }
  /** People who became or stopped being contacts; after a catch-up (the server may have lost events), every contact, as added. */
  contacts: { added: PublicUser[]; removed: string[] }
  /** The ids of the muted conversations, after a change. */
  muted: string[]
  /** People met for the first time, or whose name or picture changed. */
  people: PublicUser[]
  /** The desktop app asks the window to show something: a clicked notification's conversation (or, for an invitation, the contacts), or an invite link it was opened with. */
  open: OpenTarget
  /** The hosted server started, stopped or failed. */
  hosting: HostingStatus
  /** Messenger servers found on the LAN, the whole list after each change (hints: trust goes by fingerprint). */
  servers: DiscoveredServer[]
  /** Uploads and downloads that started, moved on or ended. */
  transfers: { upserted: TransferView[]; removed: string[] }
  /** History exports that started, moved on or ended. */
  exports: { upserted: ExportView[] }
  /** Every signed-in account's unread total, after a change. */
  unread: UnreadByAccount
  /** Calls that rang, started or changed, and those that ended, in the shown account's conversations. */
  calls: { upserted: Call[]; ended: CallEnded[] }
  /** Offers, answers and candidates for this window's calls, in the order they came. */
  callSignals: CallSignal[]
  /** Drafts (i20-drafts) changed on another device or emptied by a send (empty text and no replyTo: gone). */
  drafts: { drafts: Draft[] }
  /** Messages that arrived for a signed-in account not shown now (only recent ones from others: what may be announced). */
  accountMessages: AccountMessages
  /** User groups (issue 20): the whole list, by handle, after each change or refresh. */
  userGroups: UserGroup[]
  /** Issue 20 (pins): a conversation's whole pin list, after a change or a fetch. */
  pins: { conversationId: string; pins: Pin[] }
  /** Issue 20 (pins): the whole saved list, after a change on any device or a fetch. */
  saved: SavedItem[]
  /** Followed threads that changed (a reply, a read, a follow), and those no longer followed (threadKey in shared/threads.ts). */
  followedThreads: { upserted: FollowedThread[]; removed: string[] }
  /** Issue 21: the shown account's notification preferences and do-not-disturb, after a change on any device or a fetch. */
  notificationPrefs: NotificationPrefs
  // ---- notifying (issue 21, i21-notify)
  /** Browser host only: a new message deserves a desktop notification and this window is not looked at; the page shows it (Notification API) and plays a sound when `sound`. */
  desktopNotification: { title: string; body: string; target: OpenTarget; sound: boolean }
  /** Issue 21 item 4: the shown account's whole list of scheduled messages, soonest first, after a change or a fetch. */
  scheduled: ScheduledMessage[]
}

/** accountId: the conversation is another signed-in account's (a notification of it was clicked). */
export type OpenTarget =
  | { conversationId: string; accountId?: string }
  | { invite: string }
  | { contacts: true }
  /** "Accept" on a ringing call's desktop notification: the window answers it (it holds the media). */
  | { answerCall: string }
  /** A messenger://message link (copied from a message's menu): the window shows that message, in its thread if it is a reply in one. */
  | { message: { conversationId: string; seq: number; accountId?: string } }

export type MessengerEventName = keyof MessengerEvents
export type MessengerEvent = { [K in MessengerEventName]: { type: K; payload: MessengerEvents[K] } }[MessengerEventName]

export const MESSENGER_EVENT_NAMES: readonly MessengerEventName[] = [
  'session',
  'connection',
  'conversations',
  'messages',
  'outbox',
  'cleared',
  'presence',
  'typing',
  'invitation',
  'contacts',
  'muted',
  'people',
  'open',
  'servers',
  'hosting',
  'transfers',
  'exports',
  'unread',
  'accountMessages',
  'calls',
  'callSignals',
  'userGroups',
  // Issue 20 (pins).
  'pins',
  'saved',
  'drafts',
  'followedThreads',
  'notificationPrefs',
  // Issue 21 (i21-notify).
  'desktopNotification',
  'scheduled'
]

// ---------------------------------------------------------------- the api shape

type Domain<N extends string> = N extends `${infer D}.${string}` ? D : never
type Verb<N extends string, D extends string> = N extends `${D}.${infer V}` ? V : never

// A request whose fields are all optional may be left out ({} is sent). Not
// `keyof … extends never`: a strictObject's input type has a string index
// signature, so its keyof is never `never`.
type MethodCall<M extends IpcMethod> = Record<never, never> extends IpcRequest<M>
  ? (request?: IpcRequest<M>) => Promise<Result<IpcResponse<M>>>
  : (request: IpcRequest<M>) => Promise<Result<IpcResponse<M>>>

type Listeners = {
  [K in MessengerEventName as `on${Capitalize<K>}`]: (listener: (payload: MessengerEvents[K]) => void) => () => void
}

/** `window.messenger`: the same shape in Electron (preload) and in a browser (Node host). */
/** A file the page holds (a DOM File): shared code names no DOM type. */
export interface PageFile {
  readonly name: string
  readonly size: number
}

export type MessengerApi = {
  [D in Domain<IpcMethod>]: { [V in Verb<IpcMethod, D>]: MethodCall<`${D}.${V}` & IpcMethod> }
} & Listeners & {
  /**
   * Electron only (the preload's webUtils.getPathForFile): the path of a file
   * dropped or pasted on the page, '' for one with none (a pasted image).
   * Electron removed File.path; the browser host has no paths at all.
   */
  pathForFile?: (file: PageFile) => string
  /**
   * Electron only: stages files the user dropped, by the paths the preload
   * itself finds for them, so the page hands over File objects, never paths.
   */
  stageDropped?: (files: PageFile[]) => Promise<Result<StagedFile[]>>
}

export type Invoke = (method: IpcMethod, request: unknown) => Promise<Result<unknown>>
export type Subscribe = (listener: (batch: MessengerEvent[]) => void) => void

/**
 * Builds `window.messenger` from a transport: named methods from the contract
 * table (an allowlist, never a generic invoke) and `on…` listeners that
 * return their unsubscribe function.
 */
export function createMessengerApi(invoke: Invoke, subscribe: Subscribe): MessengerApi {
  const api: Record<string, Record<string, unknown>> = {}
  for (const name of IPC_METHOD_NAMES) {
    const [domain, verb] = name.split('.') as [string, string]
    api[domain] ??= {}
    api[domain][verb] = (request: unknown = {}) => invoke(name, request)
  }
  const listeners = new Map<MessengerEventName, Set<(payload: unknown) => void>>()
  let subscribed = false
  const dispatch = (batch: MessengerEvent[]): void => {
    for (const event of batch) for (const listener of listeners.get(event.type) ?? []) listener(event.payload)
  }
  const out = api as unknown as Record<string, unknown>
  for (const type of MESSENGER_EVENT_NAMES) {
    out[`on${type[0]!.toUpperCase()}${type.slice(1)}`] = (listener: (payload: unknown) => void) => {
      let set = listeners.get(type)
      if (!set) listeners.set(type, (set = new Set()))
      set.add(listener)
      if (!subscribed) {
        // One transport subscription for the page's lifetime; listeners come and go.
        subscribe(dispatch)
        subscribed = true
      }
      return () => {
        set.delete(listener)
      }
    }
  }
  return api as unknown as MessengerApi
}

export type { DiscoveredServer, ErrorBody, MemberRole }
