// Pick or remove a small picture (a group's or my own): the file becomes the
// data: URL the server accepts, or an error in words.
import { useTranslation } from 'react-i18next'
import { AVATAR_ACCEPT, readAvatar } from './readAvatar'

interface Props {
  hasPicture: boolean
  busy: boolean
  /** Runs the change (the caller shows errors and progress). */
  run: (change: () => Promise<void>) => void
  save: (avatar: string | null) => Promise<void>
}

export function PicturePicker({ hasPicture, busy, run, save }: Props): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <>
      <label className="btn file-btn">
        {busy ? t('dialogs.picture.uploading') : hasPicture ? t('dialogs.picture.change') : t('dialogs.picture.add')}
        <input
          type="file"
          className="visually-hidden"
          accept={AVATAR_ACCEPT}
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0]
            e.target.value = ''
            if (file) run(async () => save(await readAvatar(file)))
          }}
        />
      </label>
      {hasPicture ? (
        <button type="button" className="btn" disabled={busy} onClick={() => run(() => save(null))}>
          {t('dialogs.picture.remove')}
        </button>
      ) : null}
    </>
  )
}
