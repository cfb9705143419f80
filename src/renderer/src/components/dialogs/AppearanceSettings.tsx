// Theme, text size and language on this device (not the account's): applied
// at once, kept by the client core. Part of the profile and settings dialog.
import { useTranslation } from 'react-i18next'
import { LanguageChoice, TextSize, type ThemeChoice } from '../../../../shared/schemas/appearance'
import type { Texts } from '../../i18n/resources'
import { useStore } from '../../store'
import { ErrorLine } from './ErrorLine'
import { useAction } from './useAction'

type Words = Texts['dialogs']['appearance']

const THEMES: { value: ThemeChoice; label: keyof Words }[] = [
  { value: 'system', label: 'themeSystem' },
  { value: 'light', label: 'themeLight' },
  { value: 'dark', label: 'themeDark' }
]

const SIZES: { value: TextSize; label: keyof Words }[] = [
  { value: 'small', label: 'sizeSmall' },
  { value: 'normal', label: 'sizeNormal' },
  { value: 'large', label: 'sizeLarge' },
  { value: 'larger', label: 'sizeLarger' }
]

// Each language is named in itself, so whoever reads the other one still finds theirs.
const LANGUAGES: { value: LanguageChoice; label: string | null }[] = [
  { value: 'system', label: null },
  { value: 'en', label: 'English' },
  { value: 'de', label: 'Deutsch' }
]

export function AppearanceSettings(): React.JSX.Element {
  const { t } = useTranslation()
  const appearance = useStore((s) => s.appearance)
  const { error, run } = useAction()
  const change = (patch: { theme?: ThemeChoice; textSize?: TextSize; language?: LanguageChoice }): void =>
    void run('appearance', () => useStore.getState().setAppearance(patch))
  return (
    <div className="appearance">
      <fieldset className="appearance-theme">
        <legend>{t('dialogs.appearance.theme')}</legend>
        {THEMES.map((o) => (
          <label key={o.value} className="row">
            <input type="radio" name="appearance-theme" checked={appearance.theme === o.value} onChange={() => change({ theme: o.value })} />
            <span>{t(`dialogs.appearance.${o.label}`)}</span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>{t('dialogs.appearance.textSize')}</span>
        <select className="input" value={appearance.textSize} onChange={(e) => change({ textSize: TextSize.parse(e.target.value) })}>
          {SIZES.map((o) => (
            <option key={o.value} value={o.value}>
              {t(`dialogs.appearance.${o.label}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('dialogs.appearance.language')}</span>
        <select className="input" value={appearance.language} onChange={(e) => change({ language: LanguageChoice.parse(e.target.value) })}>
          {LANGUAGES.map((o) => (
            <option key={o.value} value={o.value} lang={o.label ? o.value : undefined}>
              {o.label ?? t('dialogs.appearance.languageSystem')}
            </option>
          ))}
        </select>
      </label>
      <ErrorLine error={error} />
    </div>
  )
}
