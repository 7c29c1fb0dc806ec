import { Clock, Context, Effect, Layer } from "effect"

/** Remembers ACK signature nonces for the replay window (15 minutes). */
export interface NonceCacheService {
  /** True when the nonce was fresh (and is now remembered); false when it was used before. */
  readonly claim: (nonce: string) => Effect.Effect<boolean>
}

export class NonceCache extends Context.Tag("@kubecred/mock-cloud/internal/NonceCache")<
  NonceCache,
  NonceCacheService
>() {}

export const WINDOW_MS = 15 * 60 * 1000

export const make: Effect.Effect<NonceCacheService> = Effect.sync(() => {
  const seen = new Map<string, number>()
  let lastSweep = 0
  return {
    claim: (nonce) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        if (now - lastSweep > 60_000) {
          lastSweep = now
          for (const [key, at] of seen) if (now - at > WINDOW_MS) seen.delete(key)
        }
        const at = seen.get(nonce)
        if (at !== undefined && now - at <= WINDOW_MS) return false
        seen.set(nonce, now)
        return true
      })
  }
})

export const layer: Layer.Layer<NonceCache> = Layer.effect(NonceCache, make)
