// Members with their roles; admins promote, demote, remove and add people.
import { useRef, useState } from 'react'
import { BotBadge } from '../Bots/BotBadge'
import { useTranslation } from 'react-i18next'
import type { Conversation, Member } from '../../../../shared/schemas/conversations'
import type { PublicUser } from '../../../../shared/schemas/users'
import { api, unwrap } from '../../lib/api'
import { nameAmong } from '../../lib/names'
import { useStore } from '../../store'
import { Avatar } from '../Avatar/Avatar'
import { ConfirmButton } from './ConfirmButton'
import { ErrorLine } from './ErrorLine'
import { useAction } from './useAction'
import { UserPicker } from './UserPicker'

interface Props {
  c: Conversation
  meId: string | null
  isAdmin: boolean
  /** Admins may add people (groups, not rooms: anyone enters a room). */
  canAdd: boolean
}

const byRoleThenName = (a: Member, b: Member): number =>
  a.role !== b.role ? (a.role === 'admin' ? -1 : 1) : a.user.displayName.localeCompare(b.user.displayName) || a.user.username.localeCompare(b.user.username)

export function GroupMembers({ c, meId, isAdmin, canAdd }: Props): React.JSX.Element {
  const { t } = useTranslation()
  const { busy, error, run } = useAction()
  const [adding, setAdding] = useState(false)
  const heading = useRef<HTMLHeadingElement>(null)
  const apply = (updated: Conversation): void => useStore.getState().applyConversations({ upserted: [updated], removed: [] })

  const setRole = (m: Member): void => {
    const role = m.role === 'admin' ? 'member' : 'admin'
    void run(`role:${m.user.id}`, async () => apply(await unwrap(api().conversations.setRole({ conversationId: c.id, userId: m.user.id, role }))))
  }
  const remove = (m: Member): void => {
    void run(`remove:${m.user.id}`, async () => {
      await unwrap(api().conversations.removeMember({ conversationId: c.id, userId: m.user.id }))
      const current = useStore.getState().conversations[c.id]
      if (current) apply({ ...current, members: current.members.filter((x) => x.user.id !== m.user.id) })
      // Their row (and the focused button) is gone: keep focus in the dialog.
      heading.current?.focus()
    })
  }
  const add = (user: PublicUser): void => {
    void run('add', async () => apply(await unwrap(api().conversations.addMembers({ conversationId: c.id, userIds: [user.id] }))))
  }

  const members = [...c.members].sort(byRoleThenName)
  return (
    <section aria-labelledby="group-members-title">
      <h3 id="group-members-title" ref={heading} tabIndex={-1} className="dialog-section">
        {t('dialogs.members.count', { count: members.length })}
      </h3>
      <ErrorLine error={error} />
      <ul className="list-plain dialog-list">
        {members.map((m) => {
          const me = m.user.id === meId
          return (
            <li key={m.user.id} className="dialog-row">
              <Avatar name={m.user.displayName} image={m.user.avatar} size={32} />
              <div className="dialog-item-text">
                <span className="dialog-item-title">
                  {nameAmong(c.members, m.user)}
                  {me ? t('dialogs.members.you') : ''}
                  {m.user.bot ? <BotBadge /> : null}
                </span>
                <span className="muted">{m.role === 'admin' ? t('dialogs.members.admin') : t('dialogs.members.member')}</span>
              </div>
              {isAdmin && !me ? (
                <div className="row member-actions">
                  <button
                    type="button"
                    className="btn"
                    disabled={busy !== null}
                    aria-label={m.role === 'admin' ? t('dialogs.members.demoteName', { name: m.user.displayName }) : t('dialogs.members.promoteName', { name: m.user.displayName })}
                    onClick={() => setRole(m)}
                  >
                    {m.role === 'admin' ? t('dialogs.members.demote') : t('dialogs.members.promote')}
                  </button>
                  <ConfirmButton label={t('dialogs.members.remove')} question={t('dialogs.members.removeQuestion', { name: m.user.displayName })} busy={busy !== null} onConfirm={() => remove(m)} />
                </div>
              ) : null}
            </li>
          )
        })}
      </ul>
      {isAdmin && canAdd ? (
        adding ? (
          <UserPicker label={t('dialogs.members.add')} verb={t('dialogs.group.add')} exclude={c.members.map((m) => m.user.id)} disabled={busy !== null} onPick={add} />
        ) : (
          <button type="button" className="btn" onClick={() => setAdding(true)}>
            {t('dialogs.members.addMore')}
          </button>
        )
      ) : null}
    </section>
  )
}
