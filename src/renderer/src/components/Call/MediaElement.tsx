// A <video> or <audio> playing a MediaStream on the chosen speaker (the
// engine's attachStream: srcObject and setSinkId). Videos are always muted:
// each peer's sound plays once, from CallAudio, even while the view is closed.
import { useEffect, useRef } from 'react'
import { attachStream } from '../../calls/media'
import { useStore } from '../../store'

export function StreamVideo({ stream, className, mirrored }: { stream: MediaStream; className?: string; mirrored?: boolean }): React.JSX.Element {
  const ref = useRef<HTMLVideoElement>(null)
  useEffect(() => {
    if (ref.current) void attachStream(ref.current, stream, null)
  }, [stream])
  return <video ref={ref} className={`${className ?? ''}${mirrored ? ' mirrored' : ''}`} autoPlay playsInline muted />
}

export function StreamAudio({ stream }: { stream: MediaStream }): React.JSX.Element {
  const ref = useRef<HTMLAudioElement>(null)
  const speaker = useStore((s) => s.chosenDevices.speaker)
  useEffect(() => {
    if (ref.current) void attachStream(ref.current, stream, speaker)
  }, [stream, speaker])
  return <audio ref={ref} autoPlay />
}

/** Every other peer's sound, mounted for as long as the call lasts (the call bar keeps it while another conversation is read). */
export function CallAudio(): React.JSX.Element | null {
  const peers = useStore((s) => s.current?.peers)
  if (!peers) return null
  return (
    <div hidden>
      {Object.values(peers).map((p) => (p.stream ? <StreamAudio key={p.peerId} stream={p.stream} /> : null))}
    </div>
  )
}
