// Issue 20: the full emoji picker (emoji-picker-react): every emoji of
// Unicode, search, skin tones, the user's recently used first. Native glyphs
// only (no image is fetched), themed with the window, and loaded only when
// first opened (React.lazy) so it costs the first paint nothing.
import { lazy, Suspense, useEffect, useLayoutEffect, useMemo, useRef, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'
import { focusedElement, returnFocus } from '../Dialog/focus'
import './EmojiPicker.css'

const Picker = lazy(() => import('emoji-picker-react'))

export interface PickedEmoji {
  emoji: string
  unified: string
}

interface Props {
  /** Where it opens, in the window's coordinates (it is kept on screen). */
  at: { x: number; y: number }
  onPick: (picked: PickedEmoji) => void
  onClose: () => void
  /** The button that opened it: it toggles the picker itself, and gets focus back. */
  toggle?: RefObject<HTMLElement | null>
}

const WIDTH = 340
const HEIGHT = 420

/**
 * A popover, not a modal: Esc or a click outside closes it alone, focus starts
 * in its search box and goes back to whatever had it before.
 */
export function EmojiPickerPopover({ at, onPick, onClose, toggle }: Props): React.JSX.Element {
  const { t } = useTranslation()
  const ref = useRef<HTMLDivElement>(null)
  const theme = useStore((s) => s.appearance.theme)
  const recent = useStore((s) => s.recentEmoji)
  const close = useRef(onClose)
  useEffect(() => {
    close.current = onClose
  })
  useEffect(() => {
    useStore.getState().loadRecentEmoji()
  }, [])
  useLayoutEffect(() => {
    const opener = toggle?.current ?? focusedElement()
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape') return
      // The picker's own Esc clears a search first; an empty one closes.
      const search = ref.current?.querySelector('input')
      if (search && search === document.activeElement && search.value) return
      e.preventDefault()
      e.stopPropagation()
      close.current()
    }
    const onOutside = (e: MouseEvent): void => {
      // The button that opened it toggles it itself.
      const target = e.target as Node
      if (!ref.current?.contains(target) && !opener?.contains(target)) close.current()
    }
    const root = ref.current
    root?.addEventListener('keydown', onKey)
    document.addEventListener('mousedown', onOutside)
    return () => {
      root?.removeEventListener('keydown', onKey)
      document.removeEventListener('mousedown', onOutside)
      returnFocus(opener)
    }
  }, [toggle])
  const labels = useMemo(
    () => ({
      searchPlaceholder: t('messageMenu.emoji.search'),
      searchLabel: t('messageMenu.emoji.searchLabel'),
      searchClear: t('messageMenu.emoji.clear'),
      searchResultsNone: t('messageMenu.emoji.noResults'),
      searchResultsOne: t('messageMenu.emoji.oneResult'),
      searchResultsMany: t('messageMenu.emoji.manyResults'),
      categoryNavigation: t('messageMenu.emoji.categories'),
      loading: t('messageMenu.emoji.loading'),
      skinToneNeutral: t('messageMenu.emoji.skinToneNeutral'),
      skinToneLight: t('messageMenu.emoji.skinToneLight'),
      skinToneMediumLight: t('messageMenu.emoji.skinToneMediumLight'),
      skinToneMedium: t('messageMenu.emoji.skinToneMedium'),
      skinToneMediumDark: t('messageMenu.emoji.skinToneMediumDark'),
      skinToneDark: t('messageMenu.emoji.skinToneDark')
    }),
    [t]
  )
  const left = Math.max(8, Math.min(at.x, window.innerWidth - WIDTH - 8))
  const top = Math.max(8, Math.min(at.y, window.innerHeight - HEIGHT - 8))
  return (
    <div ref={ref} className="emoji-popover" role="dialog" aria-label={t('messageMenu.emoji.title')} style={{ left, top }}>
      <Suspense fallback={<p className="muted emoji-popover-loading" role="status">{t('messageMenu.emoji.loading')}</p>}>
        <Picker
          emojiStyle="native"
          theme={theme === 'system' ? 'auto' : theme}
          width={WIDTH}
          height={HEIGHT}
          autoFocusSearch
          // Typing goes on while the arrows move a highlight through the matches; Enter takes it.
          keepSearchFocus
          lazyLoadEmojis
          previewConfig={{ showPreview: false }}
          labels={labels}
          {...(recent.length ? { suggestedEmojis: recent } : {})}
          onEmojiClick={(data) => {
            useStore.getState().usedEmoji(data.unified)
            onPick({ emoji: data.emoji, unified: data.unified })
          }}
        />
      </Suspense>
    </div>
  )
}
