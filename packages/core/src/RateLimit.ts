/**
 * Paced rate limiting shared by every fiber: each key (account and action) hands out time slots exactly
 * `1 / rate` apart, never banking unused slots, so no calendar second ever sees more than the rate.
 * Uses the Clock, so TestClock drives it in tests.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as SynchronizedRef from "effect/SynchronizedRef"

export interface Pacer {
  /** Waits for this caller's slot, then runs the effect. */
  readonly paced: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

export const makePacer = (perSecond: number): Effect.Effect<Pacer> =>
  Effect.gen(function* () {
    const interval = 1000 / perSecond
    const next = yield* SynchronizedRef.make(Number.NEGATIVE_INFINITY)
    const slot = SynchronizedRef.modifyEffect(next, (nextFree) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const at = Math.max(now, nextFree)
        return [at - now, at + interval] as const
      })
    )
    return {
      paced: (effect) =>
        Effect.flatMap(slot, (wait) => (wait > 0 ? Effect.zipRight(Effect.sleep(wait), effect) : effect))
    }
  })

/** One pacer per key, created on first use. */
export interface KeyedPacers {
  readonly paced: (
    key: string,
    perSecond: number
  ) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

export const makeKeyedPacers: Effect.Effect<KeyedPacers> = Effect.gen(function* () {
  const pacers = yield* SynchronizedRef.make(new Map<string, Pacer>())
  const get = (key: string, perSecond: number) =>
    SynchronizedRef.modifyEffect(pacers, (map) => {
      const id = `${key}@${perSecond}`
      const existing = map.get(id)
      if (existing) return Effect.succeed([existing, map] as const)
      return Effect.map(makePacer(perSecond), (pacer) => [pacer, new Map(map).set(id, pacer)] as const)
    })
  return {
    paced: (key, perSecond) => (effect) => Effect.flatMap(get(key, perSecond), (pacer) => pacer.paced(effect))
  }
})
