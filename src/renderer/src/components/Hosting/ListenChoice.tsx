// Where the hosted server listens (every interface, one, or this computer
// only) and whether it is advertised on the LAN. Props only: the panel saves
// each change through the store, and a running server applies it on restart.
import { useTranslation } from 'react-i18next'
import type { HostingStatus } from '../../../../shared/ipc'
import type { HostingListen } from '../../../../shared/schemas/hosting'

export interface ListenChoiceProps {
  status: HostingStatus
  busy: boolean
  onChoose: (choice: { listen?: HostingListen; advertise?: boolean }) => void
  onRestart: () => void
}

export function ListenChoice({ status, busy, onChoose, onRestart }: ListenChoiceProps): React.JSX.Element {
  const { t } = useTranslation()
  const { listen, interfaces } = status
  const chosen = listen.mode === 'interface' ? listen.address : null
  // A chosen address this computer no longer has stays listed, so the choice shows as it is.
  const options = chosen && !interfaces.some((i) => i.address === chosen) ? [...interfaces, { name: t('start.listen.gone'), address: chosen }] : interfaces
  const local = listen.mode === 'local'
  return (
    <fieldset className="hosting-listen" disabled={busy}>
      <legend>{t('start.listen.legend')}</legend>
      <label className="row">
        <input type="radio" name="hosting-listen" checked={listen.mode === 'all'} onChange={() => onChoose({ listen: { mode: 'all' } })} />
        <span>{t('start.listen.all')}</span>
      </label>
      <label className="row">
        <input
          type="radio"
          name="hosting-listen"
          checked={listen.mode === 'interface'}
          disabled={options.length === 0}
          onChange={() => onChoose({ listen: { mode: 'interface', address: options[0]!.address } })}
        />
        <span>{t('start.listen.one')}</span>
      </label>
      {listen.mode === 'interface' ? (
        <select
          className="input hosting-interface"
          aria-label={t('start.listen.interface')}
          value={chosen ?? ''}
          onChange={(e) => onChoose({ listen: { mode: 'interface', address: e.target.value } })}
        >
          {options.map((i) => (
            <option key={i.address} value={i.address}>
              {i.name}: {i.address}
            </option>
          ))}
        </select>
      ) : null}
      <label className="row">
        <input type="radio" name="hosting-listen" checked={local} onChange={() => onChoose({ listen: { mode: 'local' } })} />
        <span>{t('start.listen.local')}</span>
      </label>
      <label className="row hosting-advertise">
        <input type="checkbox" checked={status.advertise && !local} disabled={local} onChange={(e) => onChoose({ advertise: e.target.checked })} />
        <span>{t('start.listen.advertise')}</span>
      </label>
      {local ? <p className="muted">{t('start.listen.localNote')}</p> : null}
      {status.restartToApply ? (
        <p className="row" role="note">
          <span className="spacer">{t('start.listen.earlier')}</span>
          <button type="button" className="btn" onClick={onRestart}>
            {t('start.listen.restart')}
          </button>
        </p>
      ) : null}
    </fieldset>
  )
}
