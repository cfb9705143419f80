// Issue 21 item 4: the user's scheduled messages, soonest first, each with
// its conversation and time: Edit (text and time), Send now, Delete (asked
// first). One that failed at its time says why and can be edited or sent again.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ScheduledMessage } from '../../../../shared/schemas/scheduled'
import { i18n } from '../../i18n'
import { words } from '../../lib/api'
import { fromLocalInput, inFuture, toLocalInput } from '../../lib/send-later'
import { stamp } from '../../lib/time'
import { useStore } from '../../store'
import { conversationTitle, selectMeId } from '../../store/selectors'
import { Dialog } from '../Dialog/Dialog'
import './Scheduled.css'

const store = useStore.getState

export function ScheduledDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const scheduled = useStore((s) => s.scheduled)
  const [editing, setEditing] = useState<string | null>(null)
  return (
    <Dialog title={t('scheduled.list.title')} onClose={onClose}>
      {scheduled.length === 0 ? <p className="muted">{t('scheduled.list.none')}</p> : null}
      <ul className="list-plain dialog-list" aria-label={t('scheduled.list.label')}>
        {scheduled.map((item) => (
          <li key={item.id} className="scheduled-row" aria-label={item.text}>
            {editing === item.id ? <ScheduledEdit item={item} done={() => setEditing(null)} /> : <ScheduledItem item={item} edit={() => setEditing(item.id)} />}
          </li>
        ))}
      </ul>
    </Dialog>
  )
}

function ScheduledItem({ item, edit }: { item: ScheduledMessage; edit: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const conversation = useStore((s) => s.conversations[item.conversationId])
  const meId = useStore(selectMeId)
  return (
    <>
      <span className="dialog-item-text">
        <span className="dialog-item-title">{conversation ? conversationTitle(conversation, meId) : t('scheduled.list.left')}</span>
        <span className="dialog-clamp">{item.text}</span>
        <span className="muted">{t('scheduled.list.sendsAt', { time: stamp(item.sendAt) })}</span>
        {item.failed ? (
          <span className="error" role="status">
            {t('scheduled.list.failed', { reason: words(item.failed) })}
          </span>
        ) : null}
      </span>
      <span className="scheduled-actions">
        <button type="button" className="btn" onClick={edit}>
          {t('scheduled.list.edit')}
        </button>
        <button type="button" className="btn" onClick={() => void store().reportFailure(i18n.t('scheduled.failed.sendNow'), () => store().sendScheduledNow(item.id))}>
          {t('scheduled.list.sendNow')}
        </button>
        <button type="button" className="btn btn-danger" onClick={() => void store().reportFailure(i18n.t('scheduled.failed.delete'), () => store().deleteScheduled(item.id))}>
          {t('scheduled.list.delete')}
        </button>
      </span>
    </>
  )
}

function ScheduledEdit({ item, done }: { item: ScheduledMessage; done: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const [text, setText] = useState(item.text)
  const [time, setTime] = useState(toLocalInput(new Date(item.sendAt)))
  const [problem, setProblem] = useState<string | null>(null)
  const save = async (): Promise<void> => {
    const at = fromLocalInput(time)
    if (!inFuture(at)) return setProblem(t('scheduled.later.past'))
    const sendAt = at.toISOString()
    // An unchanged time is left out: the minute the input shows is not the stored instant.
    const patch = { ...(text !== item.text ? { text } : {}), ...(time !== toLocalInput(new Date(item.sendAt)) || item.failed ? { sendAt } : {}) }
    if (Object.keys(patch).length > 0) await store().reportFailure(i18n.t('scheduled.failed.update'), () => store().updateScheduled(item.id, patch))
    done()
  }
  return (
    <form
      className="scheduled-edit"
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <label>
        {t('scheduled.list.text')}
        <textarea autoFocus value={text} onChange={(e) => setText(e.target.value)} rows={3} />
      </label>
      <label>
        {t('scheduled.list.time')}
        <input type="datetime-local" value={time} onChange={(e) => setTime(e.target.value)} />
      </label>
      {problem ? (
        <p role="alert" className="error">
          {problem}
        </p>
      ) : null}
      <span className="scheduled-actions">
        <button type="submit" className="btn btn-primary" disabled={text.trim() === ''}>
          {t('scheduled.list.save')}
        </button>
        <button type="button" className="btn" onClick={done}>
          {t('scheduled.list.cancel')}
        </button>
      </span>
    </form>
  )
}
