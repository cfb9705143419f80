// Browser host only: a small banner at the top of the sidebar that asks to
// allow desktop notifications (a browser asks only after a click). Electron
// has native notifications, so there the permission is null and it never shows.
import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'
import './NotificationBanner.css'

export function NotificationBanner(): React.JSX.Element | null {
  const { t } = useTranslation()
  const permission = useStore((s) => s.notificationPermission)
  const dismissed = useStore((s) => s.notificationBannerDismissed)
  if (permission !== 'default' || dismissed) return null
  return (
    <div className="notification-banner" role="region" aria-label={t('notify.banner.label')}>
      <span className="notification-banner-text">{t('notify.banner.text')}</span>
      <div className="row notification-banner-actions">
        <button type="button" className="btn" onClick={() => void useStore.getState().requestNotificationPermission()}>
          {t('notify.banner.allow')}
        </button>
        <button type="button" className="btn" onClick={() => useStore.getState().dismissNotificationBanner()}>
          {t('notify.banner.notNow')}
        </button>
      </div>
    </div>
  )
}
