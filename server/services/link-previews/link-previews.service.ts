// Link previews (issue 21 item 5): after a message is stored and answered,
// the server fetches the first http(s) link of its text (fetch-preview.ts)
// and the preview becomes part of the message, as a change of it (a new
// version, message:updated, the change feed). The image is stored as a file
// of the message's conversation, so its members read it as they read
// attachments. Results are cached per address for a while, so a link posted
// again is not fetched again.
import { createHash } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import type { LinkPreviewsMode } from '../../../src/shared/schemas/admin'
import type { LinkPreview, Message } from '../../../src/shared/schemas/messages'
import { AppError, forbidden, notFound } from '../../errors'
import type { FileStore } from '../../files/file-store'
import { derivedId } from '../../files/files.service'
import type { Logger } from '../../logger'
import type { Store } from '../../store/types'
import type { ConversationService } from '../conversations.service'
import { messageAt } from '../message-at'
import { addressPolicy, type AddressPolicy } from './address-policy'
import { fetchPreview, type FetchedPreview, type PreviewFetchOptions } from './fetch-preview'
import { firstLink } from './first-link'

/** A preview (or its absence) is kept this long per address and mode; a failure for less, as the page may come back. */
const CACHE = { entries: 500, bytes: 64 * 1024 * 1024, ttlMs: 60 * 60_000, failureTtlMs: 5 * 60_000 } as const
/** Fetches under way at once; more wait their turn (a burst of links never opens hundreds of connections). */
const CONCURRENT_FETCHES = 4

export interface LinkPreviewOptions {
  /** Tests only: the addresses allowed instead of the setting's (the setting still says whether to fetch). */
  policy?: AddressPolicy
  resolve?: PreviewFetchOptions['resolve']
}

type Cached = { preview: FetchedPreview | null }

export class LinkPreviewService {
  /** Told of each message whose preview came or went (the realtime layer tells its members). */
  onUpdated: (message: Message) => void = () => undefined
  private readonly cache = new LRUCache<string, Cached>({
    max: CACHE.entries,
    maxSize: CACHE.bytes,
    sizeCalculation: (c) => 1 + (c.preview?.image?.bytes.length ?? 0),
    ttl: CACHE.ttlMs
  })
  private readonly running = new Set<Promise<void>>()
  private readonly fetching = new Map<string, Promise<FetchedPreview | null>>()
  private readonly waiting: (() => void)[] = []
  private active = 0
  private readonly closing = new AbortController()

  constructor(
    private readonly store: Store,
    private readonly files: FileStore,
    private readonly conversations: ConversationService,
    private readonly now: () => number,
    private readonly log: Logger,
    private readonly options: LinkPreviewOptions = {}
  ) {}

  /**
   * A message was stored or edited: its preview is brought in line with its
   * text later, off the send path (the caller never waits for a fetch).
   */
  messageStored(message: Message): void {
    if (message.kind !== 'text' || message.deletedAt || message.previewRemoved) return
    const url = firstLink(message.text)
    if (url === (message.preview?.url ?? null)) return
    const job = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.refresh(message.conversationId, message.seq, url))
      .catch((err: unknown) => this.log.warn({ err, conversationId: message.conversationId, seq: message.seq }, 'a link preview could not be stored'))
      .finally(() => this.running.delete(job))
    this.running.add(job)
  }

  /** The sender takes the preview off their message; none comes back, even after an edit. */
  async remove(userId: string, conversationId: string, seq: number): Promise<{ message: Message; changed: boolean }> {
    const { membership } = await this.conversations.requireMembership(conversationId, userId)
    if (seq <= (membership.clearedSeq ?? 0)) throw notFound('message')
    let before: LinkPreview | undefined
    const result = await this.store.messages.mutate(conversationId, seq, (m) => {
      if (m.kind === 'system') throw new AppError('conflict', 'system messages have no preview')
      if (m.deletedAt) throw new AppError('conflict', 'this message was deleted')
      if (m.senderId !== userId) throw forbidden('only the sender can remove a message’s preview')
      if (m.previewRemoved) return null
      before = m.preview
      const next: Message = { ...m, previewRemoved: true }
      delete next.preview
      return next
    })
    if (!result) throw notFound('message')
    if (result.changed) await this.dropImage(before)
    return result
  }

  /** A message was deleted for everyone: its preview's picture goes with it. */
  async messageDeleted(before: Message): Promise<void> {
    await this.dropImage(before.preview)
  }

  /** Cancels fetches under way and waits for their jobs to end (the store closes next). */
  async close(): Promise<void> {
    this.closing.abort()
    await Promise.allSettled([...this.running])
  }

  private async refresh(conversationId: string, seq: number, url: string | null): Promise<void> {
    const mode = (await this.store.admin.settings()).linkPreviews
    const fetched = url && mode !== 'off' ? await this.preview(url, mode) : null
    if (this.closing.signal.aborted) return
    const preview = fetched && url ? await this.stored(conversationId, seq, url, fetched) : null
    let before: LinkPreview | undefined
    const result = await this.store.messages.mutate(conversationId, seq, (m) => {
      before = m.preview
      // The text may have changed meanwhile: only a preview of its first link now is kept.
      if (m.deletedAt || m.previewRemoved || m.kind !== 'text' || firstLink(m.text) !== url) return null
      if (!preview) {
        if (!m.preview) return null
        const next = { ...m }
        delete next.preview
        return next
      }
      if (JSON.stringify(m.preview) === JSON.stringify(preview)) return null
      return { ...m, preview }
    })
    if (!result?.changed) {
      // Not kept (the text changed meanwhile, or the message went): neither is its picture.
      if (preview?.image && result?.message.preview?.image?.fileId !== preview.image.fileId) await this.dropImage(preview)
      return
    }
    // The old picture goes before anyone hears of the new preview.
    if (before?.image && before.image.fileId !== preview?.image?.fileId) await this.dropImage(before)
    this.onUpdated(result.message)
  }

  /** Deletes a preview's picture (its id is this message's own: no other message carries it). */
  private async dropImage(preview: LinkPreview | undefined): Promise<void> {
    if (preview?.image) await this.files.remove(preview.image.fileId)
  }

  private preview(url: string, mode: Exclude<LinkPreviewsMode, 'off'>): Promise<FetchedPreview | null> {
    const key = `${mode} ${url}`
    const hit = this.cache.get(key)
    if (hit) return Promise.resolve(hit.preview)
    // The same link in messages sent at once is fetched once.
    let fetching = this.fetching.get(key)
    if (!fetching) {
      fetching = this.inTurn(() =>
        fetchPreview(
          url,
          { policy: this.options.policy ?? addressPolicy(mode), resolve: this.options.resolve, signal: this.closing.signal },
          (reason) => this.log.debug({ url, reason }, 'no link preview')
        )
      )
        .then((preview) => {
          if (!this.closing.signal.aborted) this.cache.set(key, { preview }, preview ? {} : { ttl: CACHE.failureTtlMs })
          return preview
        })
        .finally(() => this.fetching.delete(key))
      this.fetching.set(key, fetching)
    }
    return fetching
  }

  /** The preview as the message carries it; its image written as a file of the conversation (the same id for the same message and link). */
  private async stored(conversationId: string, seq: number, url: string, fetched: FetchedPreview): Promise<LinkPreview> {
    const base = { url, title: fetched.title, description: fetched.description, siteName: fetched.siteName }
    const image = fetched.image
    if (!image) return { ...base, image: null }
    const message = await messageAt(this.store.messages, conversationId, seq)
    if (!message) return { ...base, image: null }
    const id = derivedId(`link-preview:${conversationId}:${seq}:${url}`)
    await this.files.write(
      {
        id,
        conversationId,
        uploaderId: message.senderId,
        name: `preview.${image.type.slice('image/'.length)}`,
        size: image.bytes.length,
        type: image.type,
        sha256: createHash('sha256').update(image.bytes).digest('hex'),
        ...(image.width ? { width: image.width } : {}),
        ...(image.height ? { height: image.height } : {}),
        createdAt: new Date(this.now()).toISOString(),
        complete: true,
        attached: true
      },
      image.bytes
    )
    return { ...base, image: { fileId: id, width: image.width, height: image.height } }
  }

  private async inTurn<T>(job: () => Promise<T>): Promise<T> {
    if (this.active >= CONCURRENT_FETCHES) await new Promise<void>((resolve) => this.waiting.push(resolve))
    this.active++
    try {
      return await job()
    } finally {
      this.active--
      this.waiting.shift()?.()
    }
  }
}
