// Theme and text size on this device (not the account's): applied at once,
// kept by the client core. Part of the profile and settings dialog.
import { TextSize, type ThemeChoice } from '../../../../shared/schemas/appearance'
import { useStore } from '../../store'
import { ErrorLine } from './ErrorLine'
import { useAction } from './useAction'

const THEMES: { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'Same as the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' }
]

const SIZES: { value: TextSize; label: string }[] = [
  { value: 'small', label: 'Small' },
  { value: 'normal', label: 'Normal' },
  { value: 'large', label: 'Large' },
  { value: 'larger', label: 'Larger' }
]

export function AppearanceSettings(): React.JSX.Element {
  const appearance = useStore((s) => s.appearance)
  const { error, run } = useAction()
  const change = (patch: { theme?: ThemeChoice; textSize?: TextSize }): void => void run('appearance', () => useStore.getState().setAppearance(patch))
  return (
    <div className="appearance">
      <fieldset className="appearance-theme">
        <legend>Theme</legend>
        {THEMES.map((t) => (
          <label key={t.value} className="row">
            <input type="radio" name="appearance-theme" checked={appearance.theme === t.value} onChange={() => change({ theme: t.value })} />
            <span>{t.label}</span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>Text size</span>
        <select className="input" value={appearance.textSize} onChange={(e) => change({ textSize: TextSize.parse(e.target.value) })}>
          {SIZES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <ErrorLine error={error} />
    </div>
  )
}
