// "Open export…": Electron asks main to show its file dialog; the browser
// picks the .zip here and hands it over (the store stages it through the host).
import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { hostSecret } from '../../lib/stage'
import { useStore } from '../../store'

export function OpenExportButton({ onError }: { onError: (error: unknown) => void }): React.JSX.Element {
  const { t } = useTranslation()
  const input = useRef<HTMLInputElement>(null)
  const open = (file?: File): void => void useStore.getState().openExport(file).catch(onError)
  return (
    <>
      <button type="button" className="btn" onClick={() => (hostSecret() ? input.current?.click() : open())}>
        {t('dialogs.exportViewer.open')}
      </button>
      <input
        ref={input}
        type="file"
        accept=".zip,application/zip"
        hidden
        aria-label={t('dialogs.exportViewer.openFile')}
        onChange={(e) => {
          const file = e.target.files?.[0]
          e.target.value = ''
          if (file) open(file)
        }}
      />
    </>
  )
}
