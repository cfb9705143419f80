import { Fragment } from 'react'
import { useTranslation } from 'react-i18next'
import { normalizeFingerprint } from '../../../../shared/fingerprint'

/**
 * A certificate fingerprint in the one spelling the server log, /health and
 * browsers use (56:DD:A5:…), so it can be compared character for character;
 * it may wrap only after every eighth byte, so lines stay easy to read out.
 */
export function Fingerprint({ value, label }: { value: string; label?: string }): React.JSX.Element {
  const { t } = useTranslation()
  const canonical = normalizeFingerprint(value) ?? value
  const bytes = canonical.split(':')
  return (
    <code className="fingerprint" aria-label={label ?? t('start.fingerprint')} data-fingerprint={canonical}>
      {bytes.map((byte, i) => (
        <Fragment key={i}>
          {byte}
          {i < bytes.length - 1 ? ':' : null}
          {i % 8 === 7 && i < bytes.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </code>
  )
}
