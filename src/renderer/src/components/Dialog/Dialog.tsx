// A modal dialog: labelled, closes on Esc or a click outside, focus starts
// inside, stays inside (Tab cycles) and returns to the opener (useModal).
import { useRef, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Icon } from '../Icon/Icon'
import './Dialog.css'
import { isBackdropClick, useModal } from './useModal'

interface Props {
  title: string
  onClose: () => void
  children: ReactNode
  wide?: boolean
}

export function Dialog({ title, onClose, children, wide }: Props): React.JSX.Element {
  const { t } = useTranslation()
  const ref = useRef<HTMLDialogElement>(null)
  useModal(ref, onClose, () => ref.current?.querySelector<HTMLElement>('input, textarea, select, button:not(.dialog-close)'))
  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' dialog-wide' : ''}`}
      aria-label={title}
      onMouseDown={(e) => {
        if (isBackdropClick(e)) onClose()
      }}
    >
      <header className="dialog-header">
        <h2>{title}</h2>
        <button className="icon-btn dialog-close" aria-label={t('common.close')} onClick={onClose}>
          <Icon name="close" size={16} />
        </button>
      </header>
      <div className="dialog-body">{children}</div>
    </dialog>
  )
}
