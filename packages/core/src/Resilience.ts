/**
 * The retry discipline every remote call goes through: a per-attempt timeout inside the retry, exponential
 * backoff with jitter only for retryable errors, the server's retry-after honoured, a longer wait for an
 * unavailable cluster, and an overall deadline. Interruption (the deadline included) aborts the attempt
 * in flight.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import { type ProviderError, Transport, isRetryable } from "./KubecredError.js"
import { RetryPolicy, type RetryPolicyValue } from "./Policy.js"
import type { ProviderName } from "./Provider.js"

export interface Attempted<A> {
  readonly value: A
  readonly attempts: number
}

const delayFor = (policy: RetryPolicyValue, error: ProviderError, backoff: Duration.Duration): Duration.Duration => {
  if (error._tag === "Throttled" && error.retryAfterMillis !== undefined) {
    return Duration.max(backoff, Duration.millis(error.retryAfterMillis))
  }
  if (error._tag === "ClusterUnavailable") return Duration.max(backoff, policy.unavailableDelay)
  return backoff
}

/** The policy's waits between attempts: exponential from `baseDelay` by `factor`, capped at `maxDelay`, jittered. */
export const backoff = (policy: RetryPolicyValue) =>
  Schedule.exponential(policy.baseDelay, policy.factor).pipe(
    Schedule.map((delay) => Duration.min(delay, policy.maxDelay)),
    Schedule.jittered
  )

/**
 * The schedule: retryable errors only, exponential with jitter, capped, honouring retry-after.
 * It counts ClusterUnavailable retries itself: build a fresh one for every call.
 */
export const retrySchedule = (policy: RetryPolicyValue) => {
  let unavailable = 0
  return backoff(policy).pipe(
    Schedule.intersect(Schedule.identity<ProviderError>()),
    Schedule.whileInput((error: ProviderError) => {
      if (!isRetryable(error)) return false
      if (error._tag === "ClusterUnavailable") return ++unavailable <= policy.unavailableMaxRetries
      return true
    }),
    Schedule.modifyDelay(([, error], delay) => delayFor(policy, error, delay)),
    Schedule.intersect(Schedule.recurs(policy.maxRetries))
  )
}

export interface RetryOptions {
  /**
   * Wraps every attempt outside its timeout, e.g. a rate-limit pacer: waiting for a slot is not the
   * attempt being slow (the overall deadline still counts it).
   */
  readonly gate?: <A, E, R>(attempt: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

/**
 * Runs `attempt` under the current RetryPolicy, counting attempts.
 * `attempt` must be lazy (a new request each time it runs).
 */
export const withRetries = <A, R>(
  attempt: Effect.Effect<A, ProviderError, R>,
  context: { readonly provider: ProviderName; readonly action: string },
  options: RetryOptions = {}
): Effect.Effect<Attempted<A>, ProviderError, R> =>
  Effect.gen(function* () {
    const policy = yield* RetryPolicy
    const attempts = yield* Ref.make(0)
    const timedAttempt = Ref.update(attempts, (n) => n + 1).pipe(
      Effect.zipRight(attempt),
      Effect.timeoutFail({
        duration: policy.attemptTimeout,
        onTimeout: () =>
          new Transport({
            ...context,
            reason: "timeout",
            detail: `no answer within ${Duration.format(policy.attemptTimeout)}`
          })
      })
    )
    const gated = options.gate ? options.gate(timedAttempt) : timedAttempt
    const value = yield* gated.pipe(
      Effect.retry(retrySchedule(policy)),
      Effect.timeoutFail({
        duration: policy.deadline,
        onTimeout: () =>
          new Transport({
            ...context,
            reason: "timeout",
            detail: `gave up after ${Duration.format(policy.deadline)}`
          })
      })
    )
    return { value, attempts: yield* Ref.get(attempts) }
  })
