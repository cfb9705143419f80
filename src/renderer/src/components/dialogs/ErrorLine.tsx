/** An error in words, announced to screen readers. */
export function ErrorLine({ error }: { error: string | null }): React.JSX.Element | null {
  return error ? (
    <p role="alert" className="error">
      {error}
    </p>
  ) : null
}
