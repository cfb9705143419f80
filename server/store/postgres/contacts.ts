import type { InvitationStatus } from '../../../src/shared/schemas/contacts'
import type { ContactRecord, InvitationRecord } from '../records'
import type { ContactRepo } from '../types'
import { iso, isoOrNull } from './columns'
import { query, transaction, type Pool } from './pool'

interface InvitationRow {
  id: string
  from_user_id: string
  to_user_id: string
  message: string | null
  status: InvitationStatus
  created_at: Date
  responded_at: Date | null
}

const INVITATION = 'id, from_user_id, to_user_id, message, status, created_at, responded_at'

function toInvitation(row: InvitationRow): InvitationRecord {
  return {
    id: row.id,
    fromUserId: row.from_user_id,
    toUserId: row.to_user_id,
    message: row.message,
    status: row.status,
    createdAt: iso(row.created_at),
    respondedAt: isoOrNull(row.responded_at)
  }
}

/** The pair as JavaScript sorts it (the data-directory engine's pairKey), whoever asks. */
const sorted = (a: string, b: string): [string, string] => [a, b].sort() as [string, string]

export class PgContactRepo implements ContactRepo {
  constructor(private readonly pool: Pool) {}

  async createInvitation(invitation: InvitationRecord): Promise<void> {
    // Only the latest invitation per sender and recipient is kept: a finished
    // one is replaced in the same statement; a pending one stays and the call
    // fails. The new one goes to the end of the order (ord = DEFAULT).
    const { rowCount } = await query(
      this.pool,
      `INSERT INTO invitations AS i (${INVITATION}) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (from_user_id, to_user_id) DO UPDATE SET id = excluded.id, ord = DEFAULT, message = excluded.message,
         status = excluded.status, created_at = excluded.created_at, responded_at = excluded.responded_at
       WHERE i.status <> 'pending'`,
      [
        invitation.id,
        invitation.fromUserId,
        invitation.toUserId,
        invitation.message,
        invitation.status,
        invitation.createdAt,
        invitation.respondedAt
      ]
    )
    if (rowCount === 0) {
      const pending = await this.latestInvitation(invitation.fromUserId, invitation.toUserId)
      throw new Error(`invitation ${pending?.id ?? '(unknown)'} is still pending`)
    }
  }

  async invitation(id: string): Promise<InvitationRecord | undefined> {
    const { rows } = await query<InvitationRow>(this.pool, `SELECT ${INVITATION} FROM invitations WHERE id = $1`, [id])
    return rows[0] && toInvitation(rows[0])
  }

  async latestInvitation(fromUserId: string, toUserId: string): Promise<InvitationRecord | undefined> {
    const { rows } = await query<InvitationRow>(this.pool, `SELECT ${INVITATION} FROM invitations WHERE from_user_id = $1 AND to_user_id = $2`, [
      fromUserId,
      toUserId
    ])
    return rows[0] && toInvitation(rows[0])
  }

  async pendingInvitations(userId: string): Promise<InvitationRecord[]> {
    const { rows } = await query<InvitationRow>(
      this.pool,
      `SELECT ${INVITATION} FROM invitations WHERE (from_user_id = $1 OR to_user_id = $1) AND status = 'pending' ORDER BY ord`,
      [userId]
    )
    return rows.map(toInvitation)
  }

  async respond(id: string, status: Exclude<InvitationStatus, 'pending'>, at: string): Promise<InvitationRecord> {
    return transaction(this.pool, async (client) => {
      const { rows } = await query<InvitationRow>(
        client,
        `UPDATE invitations SET status = $2, responded_at = $3 WHERE id = $1 AND status = 'pending' RETURNING ${INVITATION}`,
        [id, status, at]
      )
      if (!rows[0]) throw new Error(`invitation ${id} is not pending`)
      const invitation = toInvitation(rows[0])
      if (status === 'accepted') {
        const [a, b] = sorted(invitation.fromUserId, invitation.toUserId)
        await query(client, 'INSERT INTO contacts (user_a, user_b, since) VALUES ($1, $2, $3) ON CONFLICT (user_a, user_b) DO UPDATE SET since = excluded.since', [
          a,
          b,
          at
        ])
      }
      return invitation
    })
  }

  async contact(a: string, b: string): Promise<ContactRecord | undefined> {
    const [first, second] = sorted(a, b)
    const { rows } = await query<{ since: Date }>(this.pool, 'SELECT since FROM contacts WHERE user_a = $1 AND user_b = $2', [first, second])
    return rows[0] && { userIds: [first, second], since: iso(rows[0].since) }
  }

  async contactsOf(userId: string): Promise<string[]> {
    const { rows } = await query<{ id: string }>(
      this.pool,
      `SELECT id FROM (
         SELECT user_b AS id, ord FROM contacts WHERE user_a = $1
         UNION ALL
         SELECT user_a AS id, ord FROM contacts WHERE user_b = $1
       ) AS c ORDER BY ord`,
      [userId]
    )
    return rows.map((r) => r.id)
  }

  async removeContact(a: string, b: string): Promise<boolean> {
    const [first, second] = sorted(a, b)
    const { rowCount } = await query(this.pool, 'DELETE FROM contacts WHERE user_a = $1 AND user_b = $2', [first, second])
    return rowCount === 1
  }
}
