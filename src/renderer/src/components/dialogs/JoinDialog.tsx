// Join a group with the code an admin shared.
import { useState } from 'react'
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '../../../../shared/schemas/groups'
import { api, UiError, unwrap } from '../../lib/api'
import { Dialog } from '../Dialog/Dialog'
import { ErrorLine } from './ErrorLine'
import { FormActions } from './FormActions'
import { showConversation } from './showConversation'
import { useAction } from './useAction'

const CODE = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`)

/** The code as the server reads it: capitals, no spaces or dashes. */
function normalize(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '')
}

export function JoinDialog({ onClose, initialCode }: { onClose: () => void; initialCode?: string | undefined }): React.JSX.Element {
  const [code, setCode] = useState(initialCode ?? '')
  const { busy, error, run, setError } = useAction()

  const join = (): void => {
    const clean = normalize(code)
    if (!CODE.test(clean)) {
      setError(`A join code is ${JOIN_CODE_LENGTH} letters and digits, like ABCD-EF12-34.`)
      return
    }
    void run('join', async () => {
      try {
        showConversation(await unwrap(api().conversations.join({ code: clean })))
      } catch (err) {
        if (err instanceof UiError && err.code === 'not_found') throw new Error('No group has that join code. Check it and try again.', { cause: err })
        throw err
      }
    })
  }

  return (
    <Dialog title="Join a group" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          join()
        }}
      >
        <label className="field">
          <span>Join code</span>
          <input
            className="input join-code"
            value={code}
            maxLength={24}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            onChange={(e) => setCode(e.target.value)}
          />
        </label>
        <p className="muted">Ask a group admin for the code. Dashes and spaces do not matter.</p>
        <ErrorLine error={error} />
        <FormActions onCancel={onClose} label="Join" busyLabel="Joining…" busy={busy !== null} disabled={!code.trim()} />
      </form>
    </Dialog>
  )
}
