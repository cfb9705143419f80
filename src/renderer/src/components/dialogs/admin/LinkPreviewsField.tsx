// Issue 21: the linkPreviews server setting, with words on what each choice means.
import { useTranslation } from 'react-i18next'
import type { LinkPreviewsMode } from '../../../../../shared/schemas/admin'
import './LinkPreviewsField.css'

const CHOICES = ['off', 'public', 'all'] as const satisfies readonly LinkPreviewsMode[]

export function LinkPreviewsField({ value, onChange }: { value: LinkPreviewsMode; onChange: (mode: LinkPreviewsMode) => void }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <fieldset className="link-previews-field">
      <legend>{t('previews.admin.label')}</legend>
      {CHOICES.map((mode) => (
        <label key={mode} className="row">
          <input type="radio" name="link-previews" value={mode} checked={value === mode} onChange={() => onChange(mode)} />
          <span>
            <strong>{t(`previews.admin.${mode}`)}</strong> <span className="muted">{t(`previews.admin.${mode}Help`)}</span>
          </span>
        </label>
      ))}
    </fieldset>
  )
}
