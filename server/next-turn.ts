/** Resolves on a later turn of the event loop, so long work lets requests in between. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
