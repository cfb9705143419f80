// Mute, camera, screen, devices and leave: buttons with names and pressed
// states, in the tab order, so a call is run from the keyboard too.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'
import { Icon } from '../Icon/Icon'
import { DevicesDialog } from './DevicesDialog'

export function CallControls({ ringing }: { ringing: boolean }): React.JSX.Element | null {
  const { t } = useTranslation()
  const local = useStore((s) => s.current?.local)
  const [devices, setDevices] = useState(false)
  if (!local) return null
  const s = useStore.getState
  const sharing = local.screen !== null
  const mute = local.muted ? t('calls.controls.unmute') : t('calls.controls.mute')
  const camera = local.camera ? t('calls.controls.cameraOff') : t('calls.controls.cameraOn')
  const share = sharing ? t('calls.controls.stopShare') : t('calls.controls.share')
  const leave = ringing ? t('calls.controls.cancel') : t('calls.controls.leave')
  return (
    <div className="call-controls" role="toolbar" aria-label={t('calls.controls.label')}>
      <button type="button" className="call-btn" data-testid="call-mute" aria-label={mute} title={mute} aria-pressed={local.muted} onClick={() => void s().toggleMute()}>
        <Icon name={local.muted ? 'micOff' : 'mic'} />
      </button>
      <button type="button" className="call-btn" data-testid="call-camera" aria-label={camera} title={camera} aria-pressed={local.camera} onClick={() => void s().toggleCamera()}>
        <Icon name={local.camera ? 'video' : 'videoOff'} />
      </button>
      <button
        type="button"
        className="call-btn"
        data-testid="call-screen"
        aria-label={share}
        title={share}
        aria-pressed={sharing}
        onClick={() => void (sharing ? s().stopScreenShare() : s().startScreenShare())}
      >
        <Icon name="screen" />
      </button>
      <button type="button" className="call-btn" data-testid="call-devices" aria-label={t('calls.controls.devices')} title={t('calls.controls.devices')} onClick={() => setDevices(true)}>
        <Icon name="tune" />
      </button>
      <button type="button" className="call-btn call-btn-leave" data-testid="call-leave" aria-label={leave} title={leave} onClick={() => void s().leaveCall()}>
        <Icon name="callEnd" />
      </button>
      {devices ? <DevicesDialog onClose={() => setDevices(false)} /> : null}
    </div>
  )
}
