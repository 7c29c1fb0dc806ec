import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Ref from "effect/Ref"
import * as TestClock from "effect/TestClock"
import * as Clock from "effect/Clock"
import { AuthenticationFailed, ProviderInternal, Throttled, type ProviderError } from "../src/KubecredError.js"
import { RetryPolicy, defaultRetryPolicy } from "../src/Policy.js"
import { withRetries } from "../src/Resilience.js"
import { makeKeyedPacers } from "../src/RateLimit.js"

const ctx = { provider: "tencent", action: "DescribeClusterKubeconfig" } as const
const policy = { ...defaultRetryPolicy, baseDelay: Duration.millis(100), maxDelay: Duration.seconds(1), maxRetries: 5 }

/** Fails with the given errors in order, then succeeds. */
const scripted = (errors: ReadonlyArray<ProviderError>) =>
  Effect.gen(function* () {
    const calls = yield* Ref.make(0)
    const times = yield* Ref.make<Array<number>>([])
    const attempt = Effect.gen(function* () {
      const n = yield* Ref.getAndUpdate(calls, (k) => k + 1)
      const now = yield* Clock.currentTimeMillis
      yield* Ref.update(times, (t) => [...t, now])
      if (n < errors.length) return yield* Effect.fail(errors[n]!)
      return "ok"
    })
    return { attempt, calls, times }
  })

describe("withRetries", () => {
  it.effect("retries retryable errors with growing delays and counts attempts", () =>
    Effect.gen(function* () {
      const boom = new ProviderInternal({ ...ctx, detail: "boom" })
      const { attempt, times } = yield* scripted([boom, boom, boom])
      const fiber = yield* Effect.fork(withRetries(attempt, ctx))
      yield* TestClock.adjust(Duration.seconds(10))
      const result = yield* Fiber.join(fiber)
      expect(result).toEqual({ value: "ok", attempts: 4 })
      const t = yield* Ref.get(times)
      const gaps = t.slice(1).map((x, i) => x - t[i]!)
      // exponential with jitter (0.8..1.2): ~100, ~200, ~400
      expect(gaps[0]).toBeGreaterThanOrEqual(80)
      expect(gaps[0]).toBeLessThanOrEqual(120)
      expect(gaps[1]).toBeGreaterThanOrEqual(160)
      expect(gaps[2]).toBeGreaterThanOrEqual(320)
    }).pipe(Effect.provideService(RetryPolicy, policy))
  )

  it.effect("never retries a non-retryable error", () =>
    Effect.gen(function* () {
      const { attempt, calls } = yield* scripted([new AuthenticationFailed({ ...ctx, detail: "bad" })])
      const result = yield* Effect.either(withRetries(attempt, ctx))
      expect(result._tag).toBe("Left")
      expect(yield* Ref.get(calls)).toBe(1)
    }).pipe(Effect.provideService(RetryPolicy, policy))
  )

  it.effect("honours retry-after when it is longer than the backoff", () =>
    Effect.gen(function* () {
      const { attempt, times } = yield* scripted([new Throttled({ ...ctx, detail: "slow", retryAfterMillis: 1500 })])
      const fiber = yield* Effect.fork(withRetries(attempt, ctx))
      yield* TestClock.adjust(Duration.seconds(5))
      yield* Fiber.join(fiber)
      const t = yield* Ref.get(times)
      expect(t[1]! - t[0]!).toBeGreaterThanOrEqual(1500)
    }).pipe(Effect.provideService(RetryPolicy, policy))
  )

  it.effect("times out a hanging attempt and retries it", () =>
    Effect.gen(function* () {
      const calls = yield* Ref.make(0)
      const attempt = Ref.getAndUpdate(calls, (n) => n + 1).pipe(
        Effect.flatMap((n) => (n === 0 ? Effect.never : Effect.succeed("late ok")))
      )
      const fiber = yield* Effect.fork(
        withRetries(attempt, ctx).pipe(
          Effect.provideService(RetryPolicy, { ...policy, attemptTimeout: Duration.seconds(2) })
        )
      )
      yield* TestClock.adjust(Duration.seconds(5))
      expect(yield* Fiber.join(fiber)).toEqual({ value: "late ok", attempts: 2 })
    })
  )

  it.effect("gives up at the overall deadline with a Transport timeout", () =>
    Effect.gen(function* () {
      const fiber = yield* Effect.fork(
        withRetries(Effect.fail(new ProviderInternal({ ...ctx, detail: "down" })), ctx).pipe(
          Effect.provideService(RetryPolicy, { ...policy, maxRetries: 1000, deadline: Duration.seconds(3) }),
          Effect.either
        )
      )
      yield* TestClock.adjust(Duration.seconds(4))
      const result = yield* Fiber.join(fiber)
      expect(result._tag === "Left" && result.left._tag).toBe("Transport")
    })
  )
})

describe("paced rate limit", () => {
  it.effect("shares one pace across fibers: 40 calls at 20/s take 2 s", () =>
    Effect.gen(function* () {
      const pacers = yield* makeKeyedPacers
      const stamps = yield* Ref.make<Array<number>>([])
      const call = pacers.paced(
        "acct:Describe",
        20
      )(Effect.flatMap(Clock.currentTimeMillis, (now) => Ref.update(stamps, (s) => [...s, now])))
      const fiber = yield* Effect.fork(
        Effect.all(
          Array.from({ length: 40 }, () => call),
          { concurrency: "unbounded" }
        )
      )
      yield* TestClock.adjust(Duration.seconds(3))
      yield* Fiber.join(fiber)
      const s = (yield* Ref.get(stamps)).sort((a, b) => a - b)
      expect(s.length).toBe(40)
      // never more than 20 in any one-second window
      for (let i = 20; i < s.length; i++) expect(s[i]! - s[i - 20]!).toBeGreaterThanOrEqual(1000)
      expect(s[39]! - s[0]!).toBeLessThan(2000)
    })
  )

  it.effect("caps actual sends in any rolling second even when slots come faster", () =>
    Effect.gen(function* () {
      const pacers = yield* makeKeyedPacers
      const stamps = yield* Ref.make<Array<number>>([])
      // slots at 40/s, but never more than 10 sends in a rolling second
      const call = pacers.paced(
        "acct:Describe",
        40,
        10
      )(Effect.flatMap(Clock.currentTimeMillis, (now) => Ref.update(stamps, (s) => [...s, now])))
      const fiber = yield* Effect.fork(
        Effect.all(
          Array.from({ length: 30 }, () => call),
          { concurrency: "unbounded" }
        )
      )
      yield* TestClock.adjust(Duration.seconds(5))
      yield* Fiber.join(fiber)
      const s = (yield* Ref.get(stamps)).sort((a, b) => a - b)
      expect(s.length).toBe(30)
      for (let i = 10; i < s.length; i++) expect(s[i]! - s[i - 10]!).toBeGreaterThanOrEqual(1000)
    })
  )
})

describe("withRetries gate", () => {
  it.effect("waits for the gate outside the attempt timeout", () =>
    Effect.gen(function* () {
      const gate = <A, E, R>(attempt: Effect.Effect<A, E, R>) => Effect.zipRight(Effect.sleep("5 seconds"), attempt)
      const fiber = yield* Effect.fork(
        withRetries(Effect.succeed("sent"), ctx, { gate }).pipe(
          Effect.provideService(RetryPolicy, { ...policy, attemptTimeout: Duration.seconds(1) })
        )
      )
      yield* TestClock.adjust(Duration.seconds(6))
      expect(yield* Fiber.join(fiber)).toEqual({ value: "sent", attempts: 1 })
    })
  )
})
