// Server administration: server-wide settings, accounts as admins see them,
// invite codes and password resets.
import { z } from 'zod'
import { LIMITS } from '../limits'
import { Id, lineText, Timestamp } from './common'
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, JoinCode } from './groups'
import { PublicUser } from './users'

/** open: anyone may sign up; invite: only with an admin's invite code; closed: nobody. */
export const RegistrationMode = z.enum(['open', 'invite', 'closed'])
export type RegistrationMode = z.infer<typeof RegistrationMode>

export const LinkPreviewsMode = z.enum(['off', 'public', 'all'])
export type LinkPreviewsMode = z.infer<typeof LinkPreviewsMode>

export const ServerName = lineText(1, LIMITS.serverNameMax)

export const ServerSettings = z
  .object({
    name: z.string(),
    registration: RegistrationMode,
    /** Largest file a user may send, in bytes (stored for file transfer; see docs/admin.md). */
    maxFileBytes: z.number().int(),
    /** Messages older than this many days are deleted; null keeps history for ever. */
    retentionDays: z.number().int().nullable(),
    /** Whether the server fetches link previews: off, public addresses only, or all (LAN and intranet pages too). Absent from older servers: off. */
    linkPreviews: LinkPreviewsMode.optional()
  })
  .meta({ id: 'ServerSettings' })
export type ServerSettings = z.infer<typeof ServerSettings>

const settingsFields = {
  name: ServerName.optional(),
  registration: RegistrationMode.optional(),
  maxFileBytes: z.number().int().min(LIMITS.fileBytesMin).max(LIMITS.fileBytesMax).optional(),
  retentionDays: z.number().int().min(1).max(LIMITS.retentionDaysMax).nullable().optional(),
  linkPreviews: LinkPreviewsMode.optional()
}

export const UpdateSettingsBody = z
  .strictObject(settingsFields)
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give name, registration, maxFileBytes, retentionDays or linkPreviews' })
export type UpdateSettingsBody = z.infer<typeof UpdateSettingsBody>

export const SettingsResponse = z.object({ settings: ServerSettings })

/** What anyone may know about a server before signing in: its name and how to get an account. */
export const ServerInfo = z
  .object({ name: z.string(), registration: RegistrationMode, passwordResetByEmail: z.boolean() })
  .meta({ id: 'ServerInfo' })
export type ServerInfo = z.infer<typeof ServerInfo>

/** An account as server admins see it. */
export const AdminUser = PublicUser.extend({
  serverAdmin: z.boolean(),
  disabled: z.boolean(),
  email: z.string().nullable(),
  lastSeenAt: Timestamp.nullable()
}).meta({ id: 'AdminUser' })
export type AdminUser = z.infer<typeof AdminUser>

export const AdminUserParams = z.strictObject({ id: Id })
export const AdminUserResponse = z.object({ user: AdminUser })
export const AdminUserListResponse = z.object({ users: z.array(AdminUser) })

export const UpdateAdminUserBody = z
  .strictObject({ disabled: z.boolean().optional(), serverAdmin: z.boolean().optional() })
  .refine((b) => b.disabled !== undefined || b.serverAdmin !== undefined, { message: 'give disabled or serverAdmin' })
export type UpdateAdminUserBody = z.infer<typeof UpdateAdminUserBody>

/** A reset code: handed to the admin (code) unless it went to the user's email. */
export const PasswordReset = z
  .object({ code: z.string().nullable(), emailed: z.boolean(), expiresAt: Timestamp })
  .meta({ id: 'PasswordReset' })
export type PasswordReset = z.infer<typeof PasswordReset>

/** Invite codes have the shape and alphabet of group join codes. */
export const Invite = JoinCode
export type Invite = JoinCode
export const CreateInviteBody = z.strictObject({
  /** Seconds until the code stops working; omit for no expiry. Up to 30 days. */
  expiresInSeconds: z.number().int().min(60).max(30 * 24 * 3600).optional(),
  /** Accounts the code can make; default 1. */
  maxUses: z.number().int().min(1).max(10_000).optional()
})
export type CreateInviteBody = z.infer<typeof CreateInviteBody>
/** In a path the code is written as listed (either case), without spaces or dashes. */
export const InviteParams = z.strictObject({
  code: z
    .string()
    .regex(new RegExp(`^[${JOIN_CODE_ALPHABET}${JOIN_CODE_ALPHABET.toLowerCase()}]{${JOIN_CODE_LENGTH}}$`), `must be ${JOIN_CODE_LENGTH} letters and digits`)
    .transform((s) => s.toUpperCase())
})
export const InviteResponse = z.object({ invite: Invite })
export const InviteListResponse = z.object({ invites: z.array(Invite) })

export const ForgotPasswordBody = z.strictObject({ username: z.string().min(1).max(LIMITS.usernameMax) })
/** email: a code went to the account's email address if it has one; admin: ask a server admin for a code. */
export const ForgotPasswordResponse = z.object({ delivery: z.enum(['email', 'admin']) })
export type ForgotPasswordResponse = z.infer<typeof ForgotPasswordResponse>
