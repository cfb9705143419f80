// Where the hosted server listens (every interface, one, or this computer
// only) and whether it is advertised on the LAN. Props only: the panel saves
// each change through the store, and a running server applies it on restart.
import type { HostingStatus } from '../../../../shared/ipc'
import type { HostingListen } from '../../../../shared/schemas/hosting'

export interface ListenChoiceProps {
  status: HostingStatus
  busy: boolean
  onChoose: (choice: { listen?: HostingListen; advertise?: boolean }) => void
  onRestart: () => void
}

export function ListenChoice({ status, busy, onChoose, onRestart }: ListenChoiceProps): React.JSX.Element {
  const { listen, interfaces } = status
  const chosen = listen.mode === 'interface' ? listen.address : null
  // A chosen address this computer no longer has stays listed, so the choice shows as it is.
  const options = chosen && !interfaces.some((i) => i.address === chosen) ? [...interfaces, { name: 'not on this computer now', address: chosen }] : interfaces
  const local = listen.mode === 'local'
  return (
    <fieldset className="hosting-listen" disabled={busy}>
      <legend>Where it listens</legend>
      <label className="row">
        <input type="radio" name="hosting-listen" checked={listen.mode === 'all'} onChange={() => onChoose({ listen: { mode: 'all' } })} />
        <span>Every network interface (the LAN)</span>
      </label>
      <label className="row">
        <input
          type="radio"
          name="hosting-listen"
          checked={listen.mode === 'interface'}
          disabled={options.length === 0}
          onChange={() => onChoose({ listen: { mode: 'interface', address: options[0]!.address } })}
        />
        <span>One network interface</span>
      </label>
      {listen.mode === 'interface' ? (
        <select
          className="input hosting-interface"
          aria-label="Network interface"
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
        <span>This computer only (127.0.0.1)</span>
      </label>
      <label className="row hosting-advertise">
        <input type="checkbox" checked={status.advertise && !local} disabled={local} onChange={(e) => onChoose({ advertise: e.target.checked })} />
        <span>Advertise it on the LAN, so colleagues find it in their list</span>
      </label>
      {local ? <p className="muted">Only this computer can connect, so it is not advertised.</p> : null}
      {status.restartToApply ? (
        <p className="row" role="note">
          <span className="spacer">It runs with the earlier choice until it restarts.</span>
          <button type="button" className="btn" onClick={onRestart}>
            Restart to apply
          </button>
        </p>
      ) : null}
    </fieldset>
  )
}
