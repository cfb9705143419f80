// The app's own "are you sure?" (store: confirmation, confirm()). Over any
// other dialog; Cancel has the focus, so Enter or Esc never destroys anything.
import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'
import type { ConfirmRequest } from '../../store/confirm'
import './Dialog.css'
import { isBackdropClick, useModal } from './useModal'

export function ConfirmDialog(): React.JSX.Element | null {
  const confirmation = useStore((s) => s.confirmation)
  if (!confirmation) return null
  return <Question key={confirmation.id} request={confirmation} />
}

function Question({ request }: { request: ConfirmRequest }): React.JSX.Element {
  const { t } = useTranslation()
  const ref = useRef<HTMLDialogElement>(null)
  const cancel = useRef<HTMLButtonElement>(null)
  const answer = (yes: boolean): void => useStore.getState().answerConfirm(yes)
  useModal(ref, () => answer(false), () => cancel.current)
  return (
    <dialog
      ref={ref}
      className="dialog confirm-dialog"
      role="alertdialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-body"
      onMouseDown={(e) => {
        if (isBackdropClick(e)) answer(false)
      }}
    >
      <header className="dialog-header">
        <h2 id="confirm-title">{request.title}</h2>
      </header>
      <div className="dialog-body">
        <p id="confirm-body">{request.body}</p>
        <div className="row">
          <span className="spacer" />
          <button ref={cancel} type="button" className="btn" onClick={() => answer(false)}>
            {t('common.cancel')}
          </button>
          <button type="button" className={`btn${request.danger === false ? ' btn-primary' : ' btn-danger'}`} onClick={() => answer(true)}>
            {request.action}
          </button>
        </div>
      </div>
    </dialog>
  )
}
