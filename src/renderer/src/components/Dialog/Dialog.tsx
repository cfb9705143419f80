// A modal dialog: labelled, closes on Esc or a click outside, focus starts inside.
import { useEffect, useRef, type ReactNode } from 'react'
import { Icon } from '../Icon/Icon'
import './Dialog.css'

interface Props {
  title: string
  onClose: () => void
  children: ReactNode
  wide?: boolean
}

export function Dialog({ title, onClose, children, wide }: Props): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = ref.current
    const first = el?.querySelector<HTMLElement>('input, textarea, select, button:not(.dialog-close)')
    first?.focus()
  }, [])
  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose()
      }}
    >
      <div
        ref={ref}
        className={`dialog${wide ? ' dialog-wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation()
            onClose()
          }
        }}
      >
        <header className="dialog-header">
          <h2>{title}</h2>
          <button className="icon-btn dialog-close" aria-label="Close" onClick={onClose}>
            <Icon name="close" size={16} />
          </button>
        </header>
        <div className="dialog-body">{children}</div>
      </div>
    </div>
  )
}
