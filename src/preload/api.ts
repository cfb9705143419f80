/** What the preload exposes as `window.messenger`. */
export interface MessengerApi {
  readonly platform: string
}
