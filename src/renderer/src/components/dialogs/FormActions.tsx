import { useTranslation } from 'react-i18next'

/** Cancel and the form's submit button, which says what is happening while it runs. */
export function FormActions(p: { onCancel: () => void; label: string; busyLabel: string; busy: boolean; disabled: boolean }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <div className="row dialog-actions">
      <span className="spacer" />
      <button type="button" className="btn" onClick={p.onCancel}>
        {t('common.cancel')}
      </button>
      <button type="submit" className="btn btn-primary" disabled={p.busy || p.disabled}>
        {p.busy ? p.busyLabel : p.label}
      </button>
    </div>
  )
}
