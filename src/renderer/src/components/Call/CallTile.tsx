// One person in a call: their camera when it is on, else their picture and
// name; an outline while they speak, a mark when muted, their connection.
import { useTranslation } from 'react-i18next'
import { Avatar } from '../Avatar/Avatar'
import { Icon } from '../Icon/Icon'
import { StreamVideo } from './MediaElement'

export interface TileProps {
  peerId: string
  name: string
  /** The name the picture's initials and colour come from, when the caption says something else ("You"). */
  person?: string
  avatar: string | null
  /** A stream with a live video track, shown when the camera is on. */
  stream: MediaStream | null
  camera: boolean
  muted: boolean
  speaking: boolean
  /** Mine: the camera is mirrored, as in a mirror, and no connection is shown. */
  mine?: boolean
  connection?: 'connecting' | 'connected' | 'reconnecting' | 'failed'
  quality?: 'good' | 'fair' | 'poor' | null
  small?: boolean
}

export function CallTile(p: TileProps): React.JSX.Element {
  const { t } = useTranslation()
  const video = p.camera && p.stream !== null && p.stream.getVideoTracks().length > 0
  const trouble = p.connection && p.connection !== 'connected' ? t(`calls.view.connection.${p.connection}`) : null
  return (
    <figure
      className={`call-tile${p.speaking ? ' speaking' : ''}${p.small ? ' small' : ''}`}
      data-testid="call-tile"
      data-peer-id={p.peerId}
      data-speaking={String(p.speaking)}
      data-quality={p.quality ?? ''}
      data-peer-connection={p.connection ?? 'connected'}
      aria-label={p.name}
    >
      {video && p.stream ? <StreamVideo stream={p.stream} className="call-tile-video" mirrored={p.mine} /> : <Avatar name={p.person ?? p.name} image={p.avatar} size={p.small ? 40 : 72} />}
      <figcaption className="call-tile-caption">
        {p.muted ? (
          <span className="call-mark" role="img" aria-label={t('calls.view.muted')} title={t('calls.view.muted')}>
            <Icon name="micOff" size={14} />
          </span>
        ) : null}
        <span className="call-tile-name">{p.name}</span>
        {p.quality ? (
          <span className={`call-mark quality-${p.quality}`} role="img" aria-label={t(`calls.view.quality.${p.quality}`)} title={t(`calls.view.quality.${p.quality}`)}>
            <Icon name="signal" size={14} />
          </span>
        ) : null}
      </figcaption>
      {trouble ? <span className="call-tile-trouble">{trouble}</span> : null}
    </figure>
  )
}
