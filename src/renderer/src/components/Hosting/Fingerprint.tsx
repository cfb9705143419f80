/** A certificate fingerprint, grouped so two people can read it out to each other. */
export function Fingerprint({ value, label }: { value: string; label?: string }): React.JSX.Element {
  const groups = value.split(':').reduce<string[]>((acc, byte, i) => {
    if (i % 4 === 0) acc.push(byte)
    else acc[acc.length - 1] += byte
    return acc
  }, [])
  return (
    <code className="fingerprint" aria-label={label ?? 'Certificate fingerprint'} data-fingerprint={value}>
      {groups.join(' ')}
    </code>
  )
}
