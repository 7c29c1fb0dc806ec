import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import * as RateLimiter from "../../src/internal/rateLimiter.js"

describe("RateLimiter (fixed one-second windows)", () => {
  it.effect("allows N per calendar second per key, then refuses with the time left", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.RateLimiter
      yield* TestClock.adjust("10250 millis")
      const first = yield* Effect.all(Array.from({ length: 4 }, () => limiter.check("a", 3)))
      expect(first.map((d) => d.allowed)).toEqual([true, true, true, false])
      expect(first[3]).toMatchObject({ count: 4, retryAfterMs: 750 })
      // Another key has its own budget.
      expect((yield* limiter.check("b", 3)).allowed).toBe(true)
      // The next calendar second starts afresh, however close to the last request.
      yield* TestClock.adjust("750 millis")
      expect((yield* limiter.check("a", 3)).allowed).toBe(true)
    }).pipe(Effect.provide(RateLimiter.layer))
  )
})
