import { LIMITS } from '../../src/shared/limits'
import type { DbData, ServerSettingsRecord } from './records'
import type { AdminRepo } from './types'

export const DEFAULT_SETTINGS: ServerSettingsRecord = {
  name: 'LAN Messenger',
  registration: 'open',
  maxFileBytes: LIMITS.fileBytesDefault,
  retentionDays: null,
  linkPreviews: 'public'
}

/** Settings, invites and reset codes inside the meta store's lowdb document (all small). */
export class LowAdminRepo implements AdminRepo {
  constructor(
    private readonly data: () => DbData,
    private readonly writeNow: () => Promise<void>
  ) {}

  /** Older documents get the missing collections. */
  load(): void {
    const data = this.data()
    data.settings = { ...DEFAULT_SETTINGS, ...data.settings }
    data.invites ??= {}
    data.resetCodes ??= {}
  }

  private get doc(): Required<Pick<DbData, 'settings' | 'invites' | 'resetCodes'>> {
    const data = this.data()
    return { settings: data.settings!, invites: data.invites!, resetCodes: data.resetCodes! }
  }

  settings = async (): Promise<ServerSettingsRecord> => this.current()

  private current(): ServerSettingsRecord {
    return { ...this.doc.settings }
  }

  updateSettings = async (patch: Partial<ServerSettingsRecord>): Promise<ServerSettingsRecord> => {
    Object.assign(this.doc.settings, patch)
    await this.writeNow()
    return this.current()
  }

  invites: AdminRepo['invites'] = async () => Object.values(this.doc.invites).sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  invite: AdminRepo['invite'] = async (code) => this.doc.invites[code]

  saveInvite: AdminRepo['saveInvite'] = async (invite) => {
    this.doc.invites[invite.code] = invite
    await this.writeNow()
  }

  deleteInvite: AdminRepo['deleteInvite'] = async (code) => {
    if (!this.doc.invites[code]) return false
    delete this.doc.invites[code]
    await this.writeNow()
    return true
  }

  resetCode: AdminRepo['resetCode'] = async (userId) => this.doc.resetCodes[userId]

  saveResetCode: AdminRepo['saveResetCode'] = async (reset) => {
    this.doc.resetCodes[reset.userId] = reset
    await this.writeNow()
  }

  deleteResetCode: AdminRepo['deleteResetCode'] = async (userId) => {
    if (!this.doc.resetCodes[userId]) return
    delete this.doc.resetCodes[userId]
    await this.writeNow()
  }
}
