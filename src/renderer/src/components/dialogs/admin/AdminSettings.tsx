// Server-wide settings: name, who may sign up, file size limit, history retention, link previews.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { LinkPreviewsMode, RegistrationMode, ServerSettings } from '../../../../../shared/schemas/admin'
import { LIMITS } from '../../../../../shared/limits'
import { i18n } from '../../../i18n'
import { api, unwrap } from '../../../lib/api'
import { useStore } from '../../../store'
import { ErrorLine } from '../ErrorLine'
import { LinkPreviewsField } from './LinkPreviewsField'
import { errorText, useAction } from '../useAction'

const MODES = [
  ['open', 'admin.settings.open'],
  ['invite', 'admin.settings.invite'],
  ['closed', 'admin.settings.closed']
] as const satisfies readonly (readonly [RegistrationMode, string])[]
const MB = 1024 * 1024

/** A shorter retention, or one where there was none, deletes history on save. */
function deletesMore(before: number | null, after: number | null): boolean {
  return after !== null && (before === null || after < before)
}

function confirmRetention(days: number): Promise<boolean> {
  return useStore.getState().confirm({
    title: i18n.t('admin.settings.retentionTitle', { count: days }),
    body: i18n.t('admin.settings.retentionBody'),
    action: i18n.t('admin.settings.retentionAction')
  })
}

export function AdminSettings(): React.JSX.Element {
  const { t } = useTranslation()
  const [saved, setSaved] = useState<ServerSettings | null>(null)
  const [name, setName] = useState('')
  const [registration, setRegistration] = useState<RegistrationMode>('open')
  const [fileMb, setFileMb] = useState('')
  const [retention, setRetention] = useState('')
  const [linkPreviews, setLinkPreviews] = useState<LinkPreviewsMode>('public')
  const [done, setDone] = useState(false)
  const { busy, error, run, setError } = useAction()
  const show = (s: ServerSettings): void => {
    setSaved(s)
    setName(s.name)
    setRegistration(s.registration)
    setFileMb(String(Math.round((s.maxFileBytes / MB) * 100) / 100))
    setRetention(s.retentionDays === null ? '' : String(s.retentionDays))
    // A server from before link previews sends none: the field is then hidden and nothing is sent.
    setLinkPreviews(s.linkPreviews ?? 'off')
  }
  useEffect(() => {
    unwrap(api().admin.settings()).then(show, (err: unknown) => setError(errorText(err)))
  }, [setError])

  const save = async (): Promise<void> => {
    setDone(false)
    const retentionDays = retention.trim() === '' ? null : Number(retention)
    if (saved && deletesMore(saved.retentionDays, retentionDays) && !(await confirmRetention(retentionDays!))) return
    void run('save', async () => {
      show(await unwrap(api().admin.updateSettings({ name: name.trim(), registration, maxFileBytes: Math.round(Number(fileMb) * MB), retentionDays, ...(saved?.linkPreviews ? { linkPreviews } : {}) })))
      setDone(true)
    })
  }
  if (!saved) return error ? <ErrorLine error={error} /> : <p className="muted">{t('common.loading')}</p>
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <label className="field">
        <span>{t('start.hosting.name')}</span>
        <input className="input" value={name} required maxLength={LIMITS.serverNameMax} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('admin.settings.who')}</span>
        <select className="input" value={registration} onChange={(e) => setRegistration(e.target.value as RegistrationMode)}>
          {MODES.map(([mode, label]) => (
            <option key={mode} value={mode}>
              {t(label)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('admin.settings.fileSize')}</span>
        <input className="input" type="number" min={0.01} step="any" value={fileMb} onChange={(e) => setFileMb(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('admin.settings.retention')}</span>
        <input className="input" type="number" min={1} max={LIMITS.retentionDaysMax} value={retention} onChange={(e) => setRetention(e.target.value)} />
      </label>
      {saved.linkPreviews ? <LinkPreviewsField value={linkPreviews} onChange={setLinkPreviews} /> : null}
      <p className="muted">{t('admin.settings.note')}</p>
      <ErrorLine error={error} />
      <div className="row">
        {done ? (
          <span role="status" className="muted">
            {t('dialogs.profile.saved')}
          </span>
        ) : null}
        <span className="spacer" />
        <button type="submit" className="btn btn-primary" disabled={busy !== null || !name.trim()}>
          {busy === 'save' ? t('common.saving') : t('admin.settings.save')}
        </button>
      </div>
    </form>
  )
}
