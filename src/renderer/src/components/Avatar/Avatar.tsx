import type { PresenceStatus } from '../../../../shared/schemas/presence'
import { initials } from '../../lib/initials'
import { Icon } from '../Icon/Icon'
import './Avatar.css'

interface Props {
  name: string
  /** A data: URL: the person's or the group's picture. */
  image?: string | null
  size?: number
  presence?: PresenceStatus | null
}

/** A picture or initials on a colour picked from the name (a neutral glyph for a name without letters), with an optional presence dot. */
export function Avatar({ name, image, size = 40, presence }: Props): React.JSX.Element {
  // One OKLCH lightness for every hue: white initials read at 5.3:1 or more on each (an HSL lightness does not).
  const hue = [...name].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 360, 7)
  const letters = initials(name)
  return (
    <span className="avatar" style={{ width: size, height: size, fontSize: size * 0.38 }} aria-hidden="true">
      {image ? <img src={image} alt="" /> : <span className="avatar-initials" style={{ background: `oklch(50% 0.12 ${hue})` }}>{letters || <Icon name="person" size={Math.round(size * 0.6)} />}</span>}
      {presence && presence !== 'offline' ? <span className={`avatar-dot avatar-dot-${presence}`} /> : null}
    </span>
  )
}
