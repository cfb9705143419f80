// The call in the open conversation: everyone's tile in a grid, or a shared
// screen large with the faces in a strip beside it, and the controls.
import { useTranslation } from 'react-i18next'
import type { Conversation } from '../../../../shared/schemas/conversations'
import { i18n } from '../../i18n'
import { words } from '../../lib/api'
import { useStore } from '../../store'
import type { CallPhase } from '../../store/calls'
import { conversationTitle, memberAvatar, memberName, selectMe } from '../../store/selectors'
import { CallControls } from './CallControls'
import { CallTile, type TileProps } from './CallTile'
import { StreamVideo } from './MediaElement'
import './Call.css'

export function CallView({ conversationId }: { conversationId: string }): React.JSX.Element | null {
  const { t } = useTranslation()
  const current = useStore((s) => (s.current?.conversationId === conversationId && s.current.phase !== 'ended' ? s.current : null))
  const c = useStore((s) => s.conversations[conversationId])
  const me = useStore(selectMe)
  if (!current || !c) return null
  const peers = Object.values(current.peers)
  const tiles: TileProps[] = [
    {
      peerId: current.peerId,
      name: t('calls.view.you'),
      person: me?.displayName,
      avatar: me?.avatar ?? null,
      stream: current.local.stream,
      camera: current.local.camera,
      muted: current.local.muted,
      speaking: current.local.speaking,
      mine: true
    },
    ...peers.map((p) => ({
      peerId: p.peerId,
      name: memberName(c, p.userId),
      avatar: memberAvatar(c, p.userId),
      stream: p.stream,
      camera: p.camera,
      muted: p.muted,
      speaking: p.speaking,
      connection: p.connection,
      quality: p.quality
    }))
  ]
  // Another's share takes the stage before mine (I know what I share).
  const sharer = peers.find((p) => p.screen)
  const screen = sharer?.screen
    ? { stream: sharer.screen, label: t('calls.view.screenOf', { name: memberName(c, sharer.userId) }) }
    : current.local.screen
      ? { stream: current.local.screen, label: t('calls.view.yourScreen') }
      : null
  // Nobody's camera nor screen: pictures and names need less room than faces, the messages keep more.
  const pictures = !screen && !tiles.some((x) => x.camera)
  const status = statusText(current.phase, c, me?.id ?? null)
  return (
    <section className={`call-view${screen ? ' sharing' : ''}${pictures ? ' pictures' : ''}`} data-testid="call-view" aria-label={t('calls.view.region')}>
      {status || current.error ? (
        <p className="call-status" role="status">
          {current.error ? <span className="error">{words({ code: current.error, message: current.error })}</span> : status}
        </p>
      ) : null}
      {screen ? (
        <div className="call-stage">
          <figure className="call-screen" aria-label={screen.label}>
            <StreamVideo stream={screen.stream} className="call-screen-video" />
            <figcaption className="call-tile-caption">{screen.label}</figcaption>
          </figure>
          <div className="call-strip">
            {tiles.map((tile) => (
              <CallTile key={tile.peerId} {...tile} small />
            ))}
          </div>
        </div>
      ) : (
        <div className={`call-grid call-grid-${Math.min(tiles.length, 9)}`}>
          {tiles.map((tile) => (
            <CallTile key={tile.peerId} {...tile} />
          ))}
        </div>
      )}
      <CallControls ringing={current.phase === 'ringing' || current.phase === 'starting'} />
    </section>
  )
}

/** Before anyone else is in: starting, calling someone, or (a room rings nobody) waiting for them. */
function statusText(phase: CallPhase, c: Conversation, meId: string | null): string | null {
  if (phase === 'starting') return i18n.t('calls.view.starting')
  if (phase !== 'ringing') return null
  return c.kind === 'room' ? i18n.t('calls.view.waiting') : i18n.t('calls.view.calling', { name: conversationTitle(c, meId) })
}
