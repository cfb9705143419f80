// Electron's screen picker: the screens and windows main offers (thumbnails
// and names, grouped), in a modal dialog; Esc or close shares nothing.
import { useTranslation } from 'react-i18next'
import type { ScreenSource } from '../../../../shared/ipc'
import { useStore } from '../../store'
import { Dialog } from '../Dialog/Dialog'
import './Call.css'

export function ScreenPicker(): React.JSX.Element | null {
  const { t } = useTranslation()
  const sources = useStore((s) => s.screenPicker)
  if (!sources) return null
  const choose = (id: string | null): void => void useStore.getState().chooseScreenSource(id)
  const screens = sources.filter((x) => x.kind === 'screen')
  const windows = sources.filter((x) => x.kind === 'window')
  return (
    <Dialog title={t('calls.picker.title')} onClose={() => choose(null)} wide>
      <div className="screen-picker" data-testid="screen-picker">
        {sources.length === 0 ? <p className="muted">{t('calls.picker.none')}</p> : null}
        <SourceGroup title={t('calls.picker.screens')} sources={screens} choose={choose} />
        <SourceGroup title={t('calls.picker.windows')} sources={windows} choose={choose} />
      </div>
    </Dialog>
  )
}

function SourceGroup({ title, sources, choose }: { title: string; sources: ScreenSource[]; choose: (id: string) => void }): React.JSX.Element | null {
  const { t } = useTranslation()
  if (!sources.length) return null
  return (
    <section className="screen-group" aria-label={title}>
      <h3>{title}</h3>
      <ul className="screen-sources">
        {sources.map((x) => (
          <li key={x.id}>
            <button type="button" className="screen-source" data-testid="screen-source" aria-label={t('calls.picker.share', { name: x.name })} onClick={() => choose(x.id)}>
              <img src={x.thumbnail} alt="" />
              <span>{x.name}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
