// The signed-in user's profile and privacy settings, and signing out.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { UpdateMeBody } from '../../../../shared/schemas/users'
import { LIMITS } from '../../../../shared/limits'
import { api, unwrap } from '../../lib/api'
import { useStore } from '../../store'
import { selectMe } from '../../store/selectors'
import { Avatar } from '../Avatar/Avatar'
import { CustomStatusEditor } from '../Attention/CustomStatusEditor'
import { StatusEmoji } from '../Attention/StatusEmoji'
import { AppearanceSettings } from './AppearanceSettings'
import { Dialog } from '../Dialog/Dialog'
import { ConfirmButton } from './ConfirmButton'
import { ErrorLine } from './ErrorLine'
import { SecretStorageNote } from './SecretStorageNote'
import { PicturePicker } from './PicturePicker'
import { errorText, useAction } from './useAction'
import { OpenExportButton } from '../ExportViewer/OpenExportButton'
import { ManagedGroupsButton } from './user-groups/ManagedGroupsButton'

/** Saves profile fields and puts the answer into the session at once. */
async function updateProfile(patch: UpdateMeBody): Promise<void> {
  const me = await unwrap(api().profile.update(patch))
  const session = useStore.getState().session
  if (session?.status === 'signed_in') useStore.getState().setSession({ ...session, me })
}

export function ProfileDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const me = useStore(selectMe)
  const others = useStore((s) => (s.session?.status === 'signed_in' ? s.session.accounts.length - 1 : 0))
  const [displayName, setDisplayName] = useState(me?.displayName ?? '')
  const [email, setEmail] = useState(me?.email ?? '')
  const [saved, setSaved] = useState(false)
  const { busy, error, run, setError } = useAction()
  if (!me) return <Dialog title={t('dialogs.profile.title')} onClose={onClose}><p className="muted">{t('dialogs.profile.signedOut')}</p></Dialog>

  const newEmail = email.trim() || null
  const changed = displayName.trim() !== me.displayName || newEmail !== me.email
  const save = (): void => {
    setSaved(false)
    void run('save', async () => {
      await updateProfile({
        ...(displayName.trim() !== me.displayName ? { displayName: displayName.trim() } : {}),
        ...(newEmail !== me.email ? { email: newEmail } : {})
      })
      setSaved(true)
    })
  }
  const toggle = (patch: UpdateMeBody): void => void run('toggle', () => updateProfile(patch))
  const signOut = (): void => {
    void run('logout', async () => {
      await useStore.getState().logout()
      useStore.getState().openDialog(null)
    })
  }

  return (
    <Dialog title={t('dialogs.profile.title')} onClose={onClose}>
      <div className="row profile-head">
        <Avatar name={me.displayName} image={me.avatar} size={48} />
        <span className="muted">@{me.username}</span>
        <StatusEmoji user={me} />
        <span className="spacer" />
        <PicturePicker hasPicture={!!me.avatar} busy={busy === 'avatar'} run={(change) => void run('avatar', change)} save={(avatar) => updateProfile({ avatar })} />
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (changed && displayName.trim()) save()
        }}
      >
        <label className="field">
          <span>{t('errors.field.displayName')}</span>
          <input className="input" value={displayName} required maxLength={LIMITS.displayNameMax} onChange={(e) => setDisplayName(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('dialogs.profile.email')}</span>
          <input className="input" type="email" value={email} maxLength={LIMITS.emailMax} onChange={(e) => setEmail(e.target.value)} autoComplete="email" />
        </label>
        <div className="row">
          {saved && !changed ? <span role="status" className="muted">{t('dialogs.profile.saved')}</span> : null}
          <span className="spacer" />
          <button type="submit" className="btn btn-primary" disabled={busy !== null || !changed || !displayName.trim()}>
            {busy === 'save' ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
      <h3 className="dialog-section">{t('attention.status.title')}</h3>
      <CustomStatusEditor />
      <div className="row">
        <button type="button" className="btn" onClick={() => useStore.getState().openDialog({ kind: 'notifications' })}>
          {t('attention.prefs.open')}
        </button>
      </div>
      <h3 className="dialog-section">{t('dialogs.profile.privacy')}</h3>
      <label className="row check">
        <input type="checkbox" checked={me.hideLastSeen} disabled={busy !== null} onChange={(e) => toggle({ hideLastSeen: e.target.checked })} />
        <span>{t('dialogs.profile.hideLastSeen')}</span>
      </label>
      <label className="row check">
        <input type="checkbox" checked={me.contactsOnlyDirect} disabled={busy !== null} onChange={(e) => toggle({ contactsOnlyDirect: e.target.checked })} />
        <span>{t('dialogs.profile.contactsOnly')}</span>
      </label>
      <h3 className="dialog-section">{t('dialogs.profile.appearance')}</h3>
      <AppearanceSettings />
      <ErrorLine error={error} />
      <SecretStorageNote />
      <div className="row dialog-actions">
        <button type="button" className="btn" onClick={() => useStore.getState().openDialog({ kind: 'hosting' })}>
          {t('dialogs.profile.host')}
        </button>
        <button type="button" className="btn" onClick={() => useStore.getState().startAddAccount()}>
          {t('dialogs.profile.addAccount')}
        </button>
        <button type="button" className="btn" onClick={() => useStore.getState().openDialog({ kind: 'export' })}>
          {t('dialogs.profile.exportHistory')}
        </button>
        <OpenExportButton onError={(err) => setError(errorText(err))} />
        <ManagedGroupsButton />
        <span className="spacer" />
        <ConfirmButton label={t('dialogs.profile.signOut')} question={others ? t('dialogs.profile.signOutOthers') : t('dialogs.profile.signOutQuestion')} busy={busy !== null} onConfirm={signOut} />
      </div>
    </Dialog>
  )
}
