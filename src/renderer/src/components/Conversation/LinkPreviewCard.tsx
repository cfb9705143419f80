// Issue 21: the card under a message's text for the link the server
// previewed: the title opens the page outside the app (as any link), the
// description is clamped to three lines, the picture is the copy the server
// stored. The sender has an × to remove it.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { LinkPreview } from '../../../../shared/schemas/messages'
import { previewImage, removeLinkPreview } from '../../services/link-previews'
import { useStore } from '../../store'
import { Icon } from '../Icon/Icon'
import { safeUrl } from './markdown/safe-url'
import './LinkPreviewCard.css'

interface Props {
  conversationId: string
  seq: number
  preview: LinkPreview
  mine: boolean
}

export function LinkPreviewCard({ conversationId, seq, preview, mine }: Props): React.JSX.Element {
  const { t } = useTranslation()
  const href = safeUrl(preview.url)
  const title = preview.title || preview.url
  return (
    <div className="link-preview" role="group" aria-label={t('previews.card.label', { title })}>
      <div className="link-preview-text">
        {preview.siteName ? <div className="link-preview-site">{preview.siteName}</div> : null}
        {href ? (
          <a className="link-preview-title" href={href} target="_blank" rel="noreferrer noopener">
            {title}
          </a>
        ) : (
          <span className="link-preview-title">{title}</span>
        )}
        {preview.description ? <p className="link-preview-description">{preview.description}</p> : null}
      </div>
      {preview.image ? <PreviewImage fileId={preview.image.fileId} width={preview.image.width} height={preview.image.height} /> : null}
      {mine ? (
        <button
          type="button"
          className="icon-btn link-preview-remove"
          aria-label={t('previews.card.remove')}
          title={t('previews.card.remove')}
          onClick={() => void useStore.getState().reportFailure(t('previews.card.notRemoved'), () => removeLinkPreview(conversationId, seq))}
        >
          <Icon name="close" size={14} />
        </button>
      ) : null}
    </div>
  )
}

function PreviewImage({ fileId, width, height }: { fileId: string; width: number | null; height: number | null }): React.JSX.Element | null {
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    // A picture that cannot be loaded is left out: the title and description still say what the link is.
    previewImage(fileId).then(
      (dataUrl) => live && setUrl(dataUrl),
      () => undefined
    )
    return () => {
      live = false
    }
  }, [fileId])
  if (!url) return null
  // Decorative: the title beside it names the page.
  return <img className="link-preview-image" src={url} alt="" width={width ?? undefined} height={height ?? undefined} />
}
