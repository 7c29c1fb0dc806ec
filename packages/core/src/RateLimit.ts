/**
 * Paced rate limiting shared by every fiber: each key (account and action) hands out time slots exactly
 * `1 / rate` apart, never banking unused slots. Slots alone are not enough: a fiber that wakes late (a
 * stalled event loop) would send together with the next one, so the pacer also caps actual sends in any
 * rolling second. Uses the Clock, so TestClock drives it in tests.
 */
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"

export interface Pacer {
  /** Waits for this caller's slot, then runs the effect. */
  readonly paced: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

/**
 * @param perSecond the pace (slots per second)
 * @param maxPerSecond the most sends any rolling second may see (default: the pace rounded up)
 *
 * Each update reads the clock and changes the state in one synchronous `Ref.modify`, so no fiber can come
 * between the two and no lock is needed (a SynchronizedRef's semaphore cost every call about a hundred Effect
 * operations).
 */
export const makePacer = (perSecond: number, maxPerSecond: number = Math.ceil(perSecond)): Effect.Effect<Pacer> =>
  Effect.sync(() => unsafeMakePacer(perSecond, maxPerSecond))

const unsafeMakePacer = (perSecond: number, maxPerSecond: number = Math.ceil(perSecond)): Pacer => {
  const interval = 1000 / perSecond
  const cap = Math.max(1, Math.floor(maxPerSecond))
  const next = Ref.unsafeMake(Number.NEGATIVE_INFINITY)
  // the last `cap` send times, oldest first
  const sent = Ref.unsafeMake<ReadonlyArray<number>>([])
  const slot = Effect.clockWith((clock) =>
    Ref.modify(next, (nextFree) => {
      const now = clock.unsafeCurrentTimeMillis()
      const at = Math.max(now, nextFree)
      return [at - now, at + interval] as const
    })
  )
  // records a send now, or says how long to wait until the rolling second has room
  const admit: Effect.Effect<void> = Effect.clockWith((clock) =>
    Ref.modify(sent, (times) => {
      const now = clock.unsafeCurrentTimeMillis()
      const oldest = times.length >= cap ? times[times.length - cap]! : Number.NEGATIVE_INFINITY
      if (now - oldest >= 1000) return [0, [...times, now].slice(-cap)] as const
      return [oldest + 1000 - now, times] as const
    })
  ).pipe(Effect.flatMap((wait) => (wait > 0 ? Effect.zipRight(Effect.sleep(wait), admit) : Effect.void)))
  return {
    paced: (effect) =>
      Effect.flatMap(slot, (wait) => (wait > 0 ? Effect.sleep(wait) : Effect.void)).pipe(
        Effect.zipRight(admit),
        Effect.zipRight(effect)
      )
  }
}

/** One pacer per key, created on first use. */
export interface KeyedPacers {
  readonly paced: (
    key: string,
    perSecond: number,
    maxPerSecond?: number
  ) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

export const makeKeyedPacers: Effect.Effect<KeyedPacers> = Effect.sync(() => {
  const pacers = new Map<string, Pacer>()
  const get = (key: string, perSecond: number, maxPerSecond: number | undefined): Pacer => {
    const id = `${key}@${perSecond}/${maxPerSecond ?? ""}`
    let pacer = pacers.get(id)
    if (pacer === undefined) {
      pacer = unsafeMakePacer(perSecond, maxPerSecond)
      pacers.set(id, pacer)
    }
    return pacer
  }
  return {
    paced: (key, perSecond, maxPerSecond) => (effect) =>
      Effect.suspend(() => get(key, perSecond, maxPerSecond).paced(effect))
  }
})
