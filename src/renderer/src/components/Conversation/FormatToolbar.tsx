// Buttons for the formatting shortcuts, above the composer's box. They keep
// the box's selection (no focus on mouse down) and say their shortcut.
import { useTranslation } from 'react-i18next'
import type { FormatKind } from '../../lib/format-marks'
import type { Formatting } from './useFormattingShortcuts'

const MOD = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+'

const BUTTONS: ReadonlyArray<{ kind: FormatKind; face: React.ReactNode; keys: string; className?: string }> = [
  { kind: 'bold', face: <b>B</b>, keys: `${MOD}B` },
  { kind: 'italic', face: <i>I</i>, keys: `${MOD}I` },
  { kind: 'strike', face: <s>S</s>, keys: `${MOD}Shift+X` },
  { kind: 'code', face: <code>{'</>'}</code>, keys: `${MOD}E` },
  { kind: 'codeBlock', face: <code>{'{ }'}</code>, keys: `${MOD}Shift+C` }
]

export function FormatToolbar({ format }: { format: Formatting }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <div className="format-toolbar" role="group" aria-label={t('chat.format.toolbar')}>
      {BUTTONS.map((b) => {
        const name = t(`chat.format.${b.kind}`)
        return (
          <button
            key={b.kind}
            type="button"
            className="icon-btn format-btn"
            aria-label={name}
            aria-keyshortcuts={b.keys.replace('⌘', 'Meta+').replace('Ctrl+', 'Control+')}
            aria-pressed={format.active(b.kind)}
            title={t('chat.format.shortcut', { name, keys: b.keys })}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => format.apply(b.kind)}
          >
            {b.face}
          </button>
        )
      })}
    </div>
  )
}
