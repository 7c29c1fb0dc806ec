import { Clock, Context, Effect, Layer } from "effect"

export interface RateDecision {
  readonly allowed: boolean
  /** The request's position in its one-second window (1-based). */
  readonly count: number
  /** Milliseconds until the window ends. */
  readonly retryAfterMs: number
}

/** Fixed one-second windows (calendar seconds): N requests "in a second" means within the same second. */
export interface RateLimiterService {
  readonly check: (key: string, perSecond: number) => Effect.Effect<RateDecision>
}

export class RateLimiter extends Context.Tag("@kubecred/mock-cloud/internal/RateLimiter")<
  RateLimiter,
  RateLimiterService
>() {}

export const make: Effect.Effect<RateLimiterService> = Effect.sync(() => {
  let window = -1
  let counts = new Map<string, number>()
  return {
    check: (key, perSecond) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const second = Math.floor(now / 1000)
        if (second !== window) {
          window = second
          counts = new Map()
        }
        const count = (counts.get(key) ?? 0) + 1
        counts.set(key, count)
        return { allowed: count <= perSecond, count, retryAfterMs: (second + 1) * 1000 - now }
      })
  }
})

export const layer: Layer.Layer<RateLimiter> = Layer.effect(RateLimiter, make)
