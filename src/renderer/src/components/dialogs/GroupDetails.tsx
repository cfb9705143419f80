// A group's picture, name and description: editable by admins, shown to everyone.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Conversation } from '../../../../shared/schemas/conversations'
import { LIMITS } from '../../../../shared/limits'
import { api, unwrap } from '../../lib/api'
import { useStore } from '../../store'
import { Avatar } from '../Avatar/Avatar'
import { ErrorLine } from './ErrorLine'
import { PicturePicker } from './PicturePicker'
import { useAction } from './useAction'

interface Props {
  c: Conversation
  isAdmin: boolean
}

export function GroupDetails({ c, isAdmin }: Props): React.JSX.Element {
  const { t } = useTranslation()
  const title = c.title ?? ''
  const [draftTitle, setDraftTitle] = useState(title)
  const [description, setDescription] = useState(c.description)
  const { busy, error, run } = useAction()
  const titleMax = c.kind === 'room' ? LIMITS.roomNameMax : LIMITS.groupTitleMax

  const update = (key: string, patch: { title?: string; description?: string; avatar?: string | null }): void => {
    void run(key, async () => {
      const updated = await unwrap(api().conversations.update({ conversationId: c.id, ...patch }))
      useStore.getState().applyConversations({ upserted: [updated], removed: [] })
    })
  }

  if (!isAdmin) {
    return (
      <section className="group-details row">
        <Avatar name={title} image={c.avatar} size={56} />
        <div className="dialog-item-text">
          <span className="dialog-item-title">{title}</span>
          {c.description ? <span className="muted description">{c.description}</span> : null}
        </div>
      </section>
    )
  }

  const patch = {
    ...(draftTitle.trim() !== title ? { title: draftTitle.trim() } : {}),
    ...(description.trim() !== c.description ? { description: description.trim() } : {})
  }
  const changed = Object.keys(patch).length > 0
  return (
    <section className="group-details">
      <div className="row">
        <Avatar name={title} image={c.avatar} size={56} />
        <PicturePicker
          hasPicture={!!c.avatar}
          busy={busy === 'avatar'}
          run={(change) => void run('avatar', change)}
          save={async (avatar) => {
            const updated = await unwrap(api().conversations.update({ conversationId: c.id, avatar }))
            useStore.getState().applyConversations({ upserted: [updated], removed: [] })
          }}
        />
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (changed && draftTitle.trim()) update('details', patch)
        }}
      >
        <label className="field">
          <span>{t('dialogs.details.name')}</span>
          <input className="input" value={draftTitle} required maxLength={titleMax} onChange={(e) => setDraftTitle(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('dialogs.details.description')}</span>
          <textarea className="input" rows={3} value={description} maxLength={LIMITS.groupDescriptionMax} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <ErrorLine error={error} />
        <div className="row">
          <span className="spacer" />
          <button type="submit" className="btn btn-primary" disabled={busy !== null || !changed || !draftTitle.trim()}>
            {busy === 'details' ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
    </section>
  )
}
