// Settings of a conversation: a group in full, a room's members, or the other
// person of a direct chat; clearing history everywhere.
import { useTranslation } from 'react-i18next'
import { shownName } from '../../lib/names'
import { useStore } from '../../store'
import { otherMember, selectMeId } from '../../store/selectors'
import { Avatar } from '../Avatar/Avatar'
import { BroadcastMentionsSetting } from './BroadcastMentionsSetting'
import { Dialog } from '../Dialog/Dialog'
import { ConversationActions } from './ConversationActions'
import { GroupDetails } from './GroupDetails'
import { GroupJoinCode } from './GroupJoinCode'
import { GroupMembers } from './GroupMembers'
import { GroupWebhooks } from '../Bots/GroupWebhooks'

interface Props {
  conversationId: string
  onClose: () => void
}

export function GroupSettingsDialog({ conversationId, onClose }: Props): React.JSX.Element {
  const { t } = useTranslation()
  const c = useStore((s) => s.conversations[conversationId])
  const meId = useStore(selectMeId)
  if (!c) {
    return (
      <Dialog title={t('dialogs.settings.conversation')} onClose={onClose}>
        <p className="muted">{t('dialogs.settings.gone')}</p>
      </Dialog>
    )
  }

  if (c.kind === 'direct') {
    const other = otherMember(c, meId)?.user
    return (
      <Dialog title={t('dialogs.settings.chatDetails')} onClose={onClose}>
        {other ? (
          <section className="row group-details">
            <Avatar name={other.displayName} image={other.avatar} size={56} />
            <div className="dialog-item-text">
              <span className="dialog-item-title">{shownName(other)}</span>
              <span className="muted">@{other.username}</span>
              {other.statusText ? <span className="muted">{other.statusText}</span> : null}
            </div>
          </section>
        ) : (
          <p className="muted">{t('dialogs.settings.justYou')}</p>
        )}
        <ConversationActions c={c} isAdmin={false} />
      </Dialog>
    )
  }

  const isAdmin = c.members.some((m) => m.user.id === meId && m.role === 'admin')
  return (
    <Dialog title={c.kind === 'room' ? t('dialogs.settings.room') : t('dialogs.settings.group')} onClose={onClose} wide>
      <GroupDetails c={c} isAdmin={isAdmin} />
      <BroadcastMentionsSetting c={c} isAdmin={isAdmin} />
      <GroupMembers c={c} meId={meId} isAdmin={isAdmin} canAdd={c.kind === 'group'} />
      {c.kind === 'group' && isAdmin ? <GroupJoinCode conversationId={c.id} /> : null}
      {isAdmin ? <GroupWebhooks conversationId={c.id} /> : null}
      <ConversationActions c={c} isAdmin={isAdmin} />
    </Dialog>
  )
}
