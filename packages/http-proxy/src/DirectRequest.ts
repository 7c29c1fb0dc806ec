/**
 * One HTTP request that never goes through HTTP(S)_PROXY, for services only reachable from the machine itself
 * (the clouds' instance metadata services). Node's fetch, which reads no proxy variables; a timeout that
 * interrupts the request and so aborts it. Failures are one short reason (an errno code, or the timeout).
 */
import * as Effect from "effect/Effect"

export interface Reply {
  readonly status: number
  readonly text: string
}

export const request = (url: string, init: RequestInit, timeoutMillis: number): Effect.Effect<Reply, string> =>
  Effect.tryPromise({
    try: async (signal) => {
      const response = await fetch(url, { ...init, signal })
      return { status: response.status, text: await response.text() }
    },
    // fetch says only "fetch failed"; the reason is its cause: an errno code, else a message ("bad port")
    catch: (error) => {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause
      return cause?.code ?? cause?.message ?? (error as Error).message
    }
  }).pipe(Effect.timeoutFail({ duration: timeoutMillis, onTimeout: () => `no answer within ${timeoutMillis} ms` }))
