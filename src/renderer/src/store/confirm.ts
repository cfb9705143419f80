// Asking before something that cannot be undone, in the app's own dialog
// (ConfirmDialog shows `confirmation`): the browser's confirm() blocks the
// page, cannot be styled or read as the app's own, and Electron skips it.
import type { Slice } from './types'

export interface ConfirmRequest {
  /** The question, as the dialog's title: "Disable Bob?" */
  title: string
  /** What will happen, in words: "They are signed out on every device…" */
  body: string
  /** The button that does it, named for the action: "Disable", "Delete". */
  action: string
  /** The action destroys something (a red button). Default true. */
  danger?: boolean
}

export interface ConfirmSlice {
  confirmation: (ConfirmRequest & { id: number }) | null
  /** Shows the question; true when the person chose the action, false on Cancel or Esc. */
  confirm(request: ConfirmRequest): Promise<boolean>
  answerConfirm(yes: boolean): void
}

export const createConfirmSlice: Slice<ConfirmSlice> = (set) => {
  // The open question's answer; a new question answers the previous one "no".
  let answer: ((yes: boolean) => void) | null = null
  let next = 1
  return {
    confirmation: null,
    confirm(request) {
      answer?.(false)
      return new Promise<boolean>((resolve) => {
        answer = resolve
        set({ confirmation: { ...request, id: next++ } })
      })
    },
    answerConfirm(yes) {
      const resolve = answer
      answer = null
      set({ confirmation: null })
      resolve?.(yes)
    }
  }
}
