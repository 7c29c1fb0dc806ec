/**
 * Chaos: 2,000 fetches against the mock with 30% transient faults (resets, InternalError, HTTP 503,
 * RequestLimitExceeded, hangs cut by a shrunk attempt timeout) all succeed; non-retryable errors are never
 * retried. Prints attempts p50/p99.
 */
import { expect, layer } from "@effect/vitest"
import type { FaultRule } from "@kubecred/mock-cloud"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as TkeClient from "../src/TkeClient.js"
import {
  MockCloudServer,
  fastPacing,
  mockWithClient,
  requestsOf,
  setFaults,
  transports,
  withPolicy
} from "./support/mock.js"

const FETCHES = 2_000
const ACTION = "DescribeClusterKubeconfig"

/** Five kinds at 6% each of all requests (each rule sees what the ones before it let through). */
const kinds: ReadonlyArray<Omit<FaultRule, "provider" | "rate">> = [
  { reset: true },
  { error: { code: "InternalError" } },
  { httpStatus: 503 },
  { error: { code: "RequestLimitExceeded" } },
  { hang: true }
]
const transient: ReadonlyArray<FaultRule> = kinds.map((kind, i) => ({
  provider: "tencent",
  action: ACTION,
  rate: 0.06 / (1 - 0.06 * i),
  ...kind
}))

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!

const policy = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    withPolicy({
      baseDelay: Duration.millis(10),
      maxDelay: Duration.millis(200),
      maxRetries: 12,
      attemptTimeout: Duration.seconds(2),
      deadline: Duration.seconds(60)
    }),
    fastPacing
  )

for (const transport of transports) {
  layer(mockWithClient(transport, { tencentRateLimit: 100_000 }), {
    excludeTestServices: true,
    timeout: "120 seconds"
  })(`chaos over ${transport}`, (it) => {
    it.effect("non-retryable answers are never retried (100 calls each, exactly 100 requests)", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        const client = yield* TkeClient.TkeClient
        const cluster = mock.tencent.clusters.find((c) => c.status === "Running")!
        for (const code of ["AuthFailure.SignatureFailure", "ResourceNotFound.ClusterNotFound", "InvalidParameter"]) {
          yield* setFaults(mock, [{ provider: "tencent", action: ACTION, error: { code } }])
          const before = requestsOf(mock, ACTION)
          const errors = yield* Effect.forEach(
            Array.from({ length: 100 }),
            () =>
              Effect.flip(
                client.fetch({
                  _tag: "tencent",
                  region: cluster.region as never,
                  clusterId: cluster.clusterId as never,
                  endpoint: "public"
                })
              ),
            { concurrency: 32 }
          )
          expect(errors.every((e) => !e.retryable)).toBe(true)
          expect([code, requestsOf(mock, ACTION) - before]).toEqual([code, 100])
        }
        yield* setFaults(mock, [])
      }).pipe(withPolicy({ baseDelay: Duration.millis(10), maxRetries: 12 }), fastPacing)
    )

    it.effect(
      `${FETCHES} fetches under 30% transient faults all succeed`,
      () =>
        Effect.gen(function* () {
          const mock = yield* MockCloudServer
          const client = yield* TkeClient.TkeClient
          const clusters = mock.tencent.clusters.filter((c) => c.status === "Running")
          // Warm-up without faults: the mock issues each cluster's client certificate on first use (an RSA
          // key generation), which would otherwise stall the first wave behind the shrunk attempt timeout.
          yield* setFaults(mock, [])
          yield* Effect.forEach(
            clusters,
            (cluster) =>
              client.fetch({
                _tag: "tencent",
                region: cluster.region as never,
                clusterId: cluster.clusterId as never,
                endpoint: "public"
              }),
            { concurrency: 4 }
          ).pipe(withPolicy({}))
          yield* setFaults(mock, transient)
          const before = requestsOf(mock, ACTION)
          const started = Date.now()
          const results = yield* Effect.forEach(
            Array.from({ length: FETCHES }, (_, i) => clusters[i % clusters.length]!),
            (cluster) =>
              Effect.either(
                client.fetch({
                  _tag: "tencent",
                  region: cluster.region as never,
                  clusterId: cluster.clusterId as never,
                  endpoint: "public"
                })
              ),
            { concurrency: 32 }
          )
          const seconds = (Date.now() - started) / 1000
          yield* setFaults(mock, [])
          const failures = results.filter((r) => r._tag === "Left")
          expect(failures.map((f) => f._tag === "Left" && f.left.message).slice(0, 3)).toEqual([])
          const attempts = results.map((r) => (r._tag === "Right" ? r.right.attempts : 0)).sort((a, b) => a - b)
          const total = attempts.reduce((a, b) => a + b, 0)
          const requests = requestsOf(mock, ACTION) - before
          console.log(
            `[chaos ${transport}] ${FETCHES} fetches, 30% transient faults: 0 failures, attempts p50=${percentile(attempts, 50)} p99=${percentile(attempts, 99)} max=${attempts.at(-1)} mean=${(total / FETCHES).toFixed(3)}; mock saw ${requests} requests (${((1 - FETCHES / requests) * 100).toFixed(1)}% faulted); ${seconds.toFixed(1)} s`
          )
          // Nothing reached the mock that the client did not count as an attempt (an attempt abandoned
          // before the mock read it may be missing from the mock's count, hence not strict equality).
          expect(requests).toBeLessThanOrEqual(total)
          expect(requests).toBeGreaterThanOrEqual(total * 0.98)
          expect(total).toBeGreaterThan(FETCHES)
        }).pipe(policy),
      120_000
    )
  })
}
