/**
 * What both official-SDK transports need from node:http and the SDKs do not give: every request an SDK call
 * starts is seen (a `diagnostics_channel` subscription on `http.client.request.start`, filed under the call by
 * an AsyncLocalStorage), so that
 *
 * - interrupting the call (attempt timeout, deadline, the caller) destroys its requests: the socket closes at
 *   once, whatever the SDK does with an AbortSignal;
 * - the HTTP status is known even when the SDK reports only a parse error;
 * - a body larger than the limit (announced by `content-length`, or streamed) is cut off, as BoundedBody does
 *   for the http transports.
 *
 * The subscription lives as long as the scope (`acquireRelease`): nothing stays subscribed after the client.
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { AsyncLocalStorage } from "node:async_hooks"
import * as diagnostics from "node:diagnostics_channel"
import type { ClientRequest, IncomingMessage } from "node:http"
import { TooLarge } from "./BoundedBody.js"

export interface CallState {
  /** The HTTP status of the last response seen. */
  status: number | undefined
  /** Set when the body broke the limit (the request was destroyed, the call rejected with it). */
  tooLarge: TooLarge | undefined
}

interface Tracked extends CallState {
  readonly requests: Set<ClientRequest>
  readonly limit: number
  aborted: boolean
  /** Ends the call at once: an SDK may keep waiting for a body it will never get. */
  readonly refuse: (tooLarge: TooLarge) => void
}

export interface Tracker {
  /**
   * Runs one SDK call with its requests tracked. `signal` is the one Effect.tryPromise hands out; `limit` the
   * body size limit in bytes.
   */
  readonly run: <A>(signal: AbortSignal, limit: number, call: (state: CallState) => Promise<A>) => Promise<A>
}

const CHANNEL = "http.client.request.start"

const watch = (state: Tracked, request: ClientRequest) => {
  if (state.aborted) {
    request.destroy(new Error("aborted by kubecred"))
    return
  }
  state.requests.add(request)
  request.once("close", () => state.requests.delete(request))
  request.once("response", (response: IncomingMessage) => {
    state.status = response.statusCode
    const announced = Number(response.headers["content-length"])
    if (Number.isFinite(announced) && announced > state.limit) {
      state.refuse(new TooLarge(state.limit, announced))
      request.destroy(new Error("response body too large"))
      return
    }
    // counted on the socket, which the HTTP parser already reads: a 'data' listener on the response would
    // switch it to flowing mode and lose chunks the SDK has not asked for yet
    const socket = response.socket
    if (socket === null) return
    const start = socket.bytesRead
    const count = () => {
      if (socket.bytesRead - start > state.limit && state.tooLarge === undefined) {
        state.refuse(new TooLarge(state.limit, undefined))
        request.destroy(new Error("response body too large"))
      }
    }
    socket.on("data", count)
    const stop = () => socket.off("data", count)
    response.once("end", stop)
    response.once("close", stop)
  })
}

/** A tracker subscribed for the life of the scope. */
export const make: Effect.Effect<Tracker, never, Scope.Scope> = Effect.gen(function* () {
  const calls = new AsyncLocalStorage<Tracked>()
  const onStart = (message: unknown) => {
    const state = calls.getStore()
    if (state !== undefined) watch(state, (message as { readonly request: ClientRequest }).request)
  }
  yield* Effect.acquireRelease(
    Effect.sync(() => diagnostics.subscribe(CHANNEL, onStart)),
    () => Effect.sync(() => diagnostics.unsubscribe(CHANNEL, onStart))
  )
  return {
    run: (signal, limit, call) => {
      let refuse: (tooLarge: TooLarge) => void = () => {}
      const refused = new Promise<never>((_, reject) => {
        refuse = (tooLarge) => {
          state.tooLarge = tooLarge
          reject(tooLarge)
        }
      })
      const state: Tracked = {
        requests: new Set(),
        limit,
        status: undefined,
        tooLarge: undefined,
        aborted: false,
        refuse: (tooLarge) => refuse(tooLarge)
      }
      signal.addEventListener(
        "abort",
        () => {
          state.aborted = true
          for (const request of state.requests) request.destroy(new Error("aborted by kubecred"))
        },
        { once: true }
      )
      // the SDK's own promise may never settle once its response is destroyed; the race ends the call
      refused.catch(() => {})
      return Promise.race([calls.run(state, () => call(state)), refused])
    }
  }
})
