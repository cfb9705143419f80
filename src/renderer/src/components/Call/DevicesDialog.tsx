// Which microphone, camera and speaker the call uses (remembered for the next
// call). Speakers are listed only where the browser can choose one (setSinkId).
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'
import { Dialog } from '../Dialog/Dialog'

type Kind = 'microphone' | 'camera' | 'speaker'

export function DevicesDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const devices = useStore((s) => s.devices)
  useEffect(() => {
    // The lists as they are now: a headset may have been plugged in since the last look.
    void useStore.getState().refreshDevices()
  }, [])
  return (
    <Dialog title={t('calls.devices.title')} onClose={onClose}>
      <DeviceSelect kind="microphone" list={devices.microphones} />
      <DeviceSelect kind="camera" list={devices.cameras} />
      {devices.speakers.length ? <DeviceSelect kind="speaker" list={devices.speakers} /> : null}
    </Dialog>
  )
}

function DeviceSelect({ kind, list }: { kind: Kind; list: MediaDeviceInfo[] }): React.JSX.Element {
  const { t } = useTranslation()
  const chosen = useStore((s) => s.chosenDevices[kind])
  return (
    <label className="field">
      <span>{t(`calls.devices.${kind}`)}</span>
      <select className="input" value={chosen ?? ''} onChange={(e) => void useStore.getState().chooseDevice(kind, e.target.value)}>
        <option value="">{t('calls.devices.systemDefault')}</option>
        {list
          .filter((d) => d.deviceId && d.deviceId !== 'default')
          .map((d, i) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label || t('calls.devices.unnamed', { n: i + 1 })}
            </option>
          ))}
      </select>
    </label>
  )
}
