// Issue 21: link previews in the window. The server fetched them; the window
// shows the image the server stored (never the page's own address), loaded
// through the core as attachments' pictures are, and asks the core to remove
// a preview. The message's change comes back by the core's messages event.
import { api, unwrap } from '../lib/api'

/** Loaded images by file id (data: URLs), so a list re-rendered does not load them again; the oldest go first. */
const images = new Map<string, Promise<string>>()
const IMAGES_KEPT = 100

export function previewImage(fileId: string): Promise<string> {
  const known = images.get(fileId)
  if (known) return known
  const loading = unwrap(api().files.preview({ fileId })).then((r) => r.dataUrl)
  // A failure is not kept: the next showing tries again.
  loading.catch(() => images.delete(fileId))
  images.set(fileId, loading)
  if (images.size > IMAGES_KEPT) images.delete(images.keys().next().value!)
  return loading
}

export async function removeLinkPreview(conversationId: string, seq: number): Promise<void> {
  await unwrap(api().messages.removePreview({ conversationId, seq }))
}
