// A fetch that holds a transfer after some bytes, to cut it at a known
// point: the body (upload) or the answer (download) of matching requests
// stops after `after` bytes until the request is aborted.

export interface Gate {
  fetch: typeof fetch
  /** Resolves once a matching transfer has passed `after` bytes and stalls. */
  reached: Promise<void>
}

function stall(source: ReadableStream<Uint8Array>, after: number, signal: AbortSignal | null | undefined, onStall: () => void): ReadableStream<Uint8Array> {
  const reader = source.getReader()
  let passed = 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (passed >= after) {
        onStall()
        await new Promise<void>((resolve) => {
          if (signal?.aborted) return resolve()
          signal?.addEventListener('abort', () => resolve(), { once: true })
        })
        controller.error(new DOMException('aborted', 'AbortError'))
        return
      }
      const { done, value } = await reader.read()
      if (done) return controller.close()
      const take = value.subarray(0, Math.max(0, after - passed))
      passed += take.length
      controller.enqueue(take)
    },
    cancel: (reason) => reader.cancel(reason)
  })
}

export function gatedFetch(match: (url: string, method: string) => boolean, after: number): Gate {
  let release!: () => void
  const reached = new Promise<void>((resolve) => (release = resolve))
  const gated: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input)
    const method = init?.method ?? 'GET'
    if (!match(url, method)) return fetch(input, init)
    if (init?.body instanceof ReadableStream) {
      return fetch(input, { ...init, body: stall(init.body, after, init.signal, release) })
    }
    const res = await fetch(input, init)
    if (!res.body) return res
    return new Response(stall(res.body, after, init?.signal, release), { status: res.status, headers: res.headers })
  }
  return { fetch: gated, reached }
}
