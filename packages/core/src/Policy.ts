/**
 * Retry and throttle policy values shared by the providers and the CLI. They are Context.References with
 * production defaults, so a test (or a CLI flag) shrinks them with `Effect.provideService`.
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"

export interface RetryPolicyValue {
  /** First backoff delay; each retry multiplies it by `factor`, up to `maxDelay`, with jitter. */
  readonly baseDelay: Duration.Duration
  readonly factor: number
  readonly maxDelay: Duration.Duration
  /** Retries after the first attempt (so at most `maxRetries + 1` attempts). */
  readonly maxRetries: number
  /** A single attempt that takes longer fails with Transport(timeout) and may be retried. */
  readonly attemptTimeout: Duration.Duration
  /** The whole call, retries included, never takes longer. */
  readonly deadline: Duration.Duration
  /** ClusterUnavailable waits at least this long between attempts (a cluster recovers slowly). */
  readonly unavailableDelay: Duration.Duration
  /** ClusterUnavailable is retried at most this many times. */
  readonly unavailableMaxRetries: number
}

export const defaultRetryPolicy: RetryPolicyValue = {
  baseDelay: Duration.millis(200),
  factor: 2,
  maxDelay: Duration.seconds(8),
  maxRetries: 8,
  attemptTimeout: Duration.seconds(20),
  deadline: Duration.seconds(90),
  unavailableDelay: Duration.seconds(5),
  unavailableMaxRetries: 2
}

export class RetryPolicy extends Context.Reference<RetryPolicy>()("@kubecred/core/RetryPolicy", {
  defaultValue: (): RetryPolicyValue => defaultRetryPolicy
}) {}

export interface ThrottlePolicyValue {
  /** Requests per second per account and action. TKE documents 20/s; ACK publishes none. */
  readonly requestsPerSecond: { readonly tencent: number; readonly alibaba: number }
  /** Share of the limit actually used (requests are paced, never burst), so clock jitter never trips it. */
  readonly headroom: number
  /** Concurrent requests per provider in bulk work. */
  readonly concurrency: number
}

export const defaultThrottlePolicy: ThrottlePolicyValue = {
  requestsPerSecond: { tencent: 20, alibaba: 20 },
  headroom: 0.97,
  concurrency: 16
}

export class ThrottlePolicy extends Context.Reference<ThrottlePolicy>()("@kubecred/core/ThrottlePolicy", {
  defaultValue: (): ThrottlePolicyValue => defaultThrottlePolicy
}) {}

/**
 * How much of an answer kubecred accepts (docs/decisions.md "Bounded answers"). A listing stops with
 * BoundExceeded after `maxPages` pages per region, after `maxListingTime` in all, or at the first page that
 * repeats clusters already listed; a response body larger than `maxBodyBytes` (announced or streamed) is
 * cut off with BoundExceeded by either transport.
 */
export interface AnswerBoundsValue {
  readonly maxPages: number
  readonly maxListingTime: Duration.Duration
  readonly maxBodyBytes: number
}

export const defaultAnswerBounds: AnswerBoundsValue = {
  maxPages: 500,
  maxListingTime: Duration.minutes(10),
  maxBodyBytes: 16 * 1024 * 1024
}

export class AnswerBounds extends Context.Reference<AnswerBounds>()("@kubecred/core/AnswerBounds", {
  defaultValue: (): AnswerBoundsValue => defaultAnswerBounds
}) {}
