// A small popup menu under its button (useMenu: arrows, Esc, focus back).
import { useRef, type ReactNode } from 'react'
import { useMenu } from '../Dialog/useMenu'

export function PopupMenu({ label, onClose, children, testId }: { label: string; onClose: () => void; children: ReactNode; testId?: string }): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null)
  useMenu(ref, onClose)
  return (
    <div ref={ref} role="menu" aria-label={label} className="attention-menu" data-testid={testId}>
      {children}
    </div>
  )
}

export function MenuItem({ onClick, children, checked, disabled }: { onClick: () => void; children: ReactNode; checked?: boolean; disabled?: boolean }): React.JSX.Element {
  return (
    <button type="button" role={checked === undefined ? 'menuitem' : 'menuitemradio'} aria-checked={checked} className="attention-menu-item" disabled={disabled} onClick={onClick}>
      {children}
    </button>
  )
}
