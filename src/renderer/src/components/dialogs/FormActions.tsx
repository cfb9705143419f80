/** Cancel and the form's submit button, which says what is happening while it runs. */
export function FormActions(p: { onCancel: () => void; label: string; busyLabel: string; busy: boolean; disabled: boolean }): React.JSX.Element {
  return (
    <div className="row dialog-actions">
      <span className="spacer" />
      <button type="button" className="btn" onClick={p.onCancel}>
        Cancel
      </button>
      <button type="submit" className="btn btn-primary" disabled={p.busy || p.disabled}>
        {p.busy ? p.busyLabel : p.label}
      </button>
    </div>
  )
}
