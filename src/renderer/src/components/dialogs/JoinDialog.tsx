// Join a group with the code an admin shared.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '../../../../shared/schemas/groups'
import { i18n } from '../../i18n'
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

export function JoinDialog({
  onClose,
  initialCode,
  viaLink = false
}: {
  onClose: () => void
  initialCode?: string | undefined
  /** Opened from an invite link: a code that no longer works is told as a dead link. */
  viaLink?: boolean | undefined
}): React.JSX.Element {
  const { t } = useTranslation()
  const [code, setCode] = useState(initialCode ?? '')
  const { busy, error, run, setError } = useAction()

  const join = (): void => {
    const clean = normalize(code)
    if (!CODE.test(clean)) {
      setError(t('dialogs.join.format', { length: JOIN_CODE_LENGTH }))
      return
    }
    void run('join', async () => {
      try {
        showConversation(await unwrap(api().conversations.join({ code: clean })))
      } catch (err) {
        if (viaLink && err instanceof UiError && (err.code === 'not_found' || err.code === 'join_code_expired')) {
          throw new Error(i18n.t('dialogs.join.linkDead'), { cause: err })
        }
        if (err instanceof UiError && err.code === 'not_found') throw new Error(i18n.t('dialogs.join.unknown'), { cause: err })
        throw err
      }
    })
  }

  return (
    <Dialog title={t('dialogs.join.title')} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          join()
        }}
      >
        <label className="field">
          <span>{t('dialogs.joinCode.title')}</span>
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
        <p className="muted">{t('dialogs.join.ask')}</p>
        <ErrorLine error={error} />
        <FormActions onCancel={onClose} label={t('shell.sidebar.join')} busyLabel={t('dialogs.join.joining')} busy={busy !== null} disabled={!code.trim()} />
      </form>
    </Dialog>
  )
}
