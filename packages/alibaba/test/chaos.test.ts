/**
 * Chaos: 2,000 fetches against the mock with 30% transient faults (resets, InternalError 500, ServiceUnavailable
 * 503, Throttling.User with retry-after, hangs cut by a shrunk attempt timeout). Every fetch succeeds; every
 * failed attempt that was retried was retryable; attempts p50/p99 are printed.
 *
 * Mock and client share one CPU here (~9 ms a fetch), so concurrency stays at 16: with 64 in flight a request
 * queues longer than the shrunk attempt timeout and the run measures a retry storm of its own making.
 */
import { expect, layer } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HashMap from "effect/HashMap"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import type { AlibabaFetchRequest } from "@kubecred/core/FetchRequest"
import { defaultThrottlePolicy, RetryPolicy, ThrottlePolicy } from "@kubecred/core/Policy"
import { client, fastRetries, MockCloudServer, mockLayer, requestsSeen, variants, withFaults } from "./fixtures.js"

const FETCHES = 2000
const ACTION = "DescribeClusterUserKubeconfig"

/** Five kinds at 6% each: rule i fires with 0.06 / (1 - 0.06 (i - 1)), the rules being tried in order. */
const kinds = [
  { reset: true },
  { error: { code: "InternalError" } },
  { error: { code: "ServiceUnavailable" } },
  { error: { code: "Throttling.User", retryAfterMs: 50 } },
  { hang: true }
]
const faults = kinds.map((kind, i) => ({
  provider: "alibaba" as const,
  action: ACTION,
  rate: 0.06 / (1 - 0.06 * i),
  ...kind
}))

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!

layer(mockLayer({ alibabaRateLimit: 100_000 }), { excludeTestServices: true, timeout: Duration.seconds(60) })(
  "chaos",
  (it) => {
    for (const variant of variants.filter((v) => v.options.signatureVersion === "v3")) {
      it.scoped(
        `${variant.name}: ${FETCHES} fetches under 30% transient faults all succeed`,
        () =>
          Effect.gen(function* () {
            const mock = yield* MockCloudServer
            // the mock makes a client certificate per cluster and identity on first use: warm those up first
            const running = mock.alibaba.clusters.filter((c) => c.state === "running" && c.region === "cn-hangzhou")
            const source = yield* client(variant)
            const fetchOne = (cluster: (typeof running)[number]) =>
              source.fetch({
                _tag: "alibaba",
                region: cluster.region,
                clusterId: cluster.clusterId,
                endpoint: "public"
              } as AlibabaFetchRequest)
            yield* Effect.forEach(running, fetchOne, { concurrency: 4 })
            const failedAttempts: Array<{ error: string; retryable: boolean }> = []
            const logger = Logger.make(({ annotations }) => {
              const error = HashMap.get(annotations, "error")
              if (error._tag === "Some") {
                failedAttempts.push({
                  error: String(error.value),
                  retryable: HashMap.get(annotations, "retryable").pipe((r) => r._tag === "Some" && r.value === true)
                })
              }
            })
            const before = yield* requestsSeen(ACTION)
            const results = yield* withFaults(
              faults,
              Effect.forEach(
                Array.from({ length: FETCHES }, (_, i) => running[i % running.length]!),
                fetchOne,
                { concurrency: 16 }
              )
            ).pipe(
              Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
              Logger.withMinimumLogLevel(LogLevel.Debug)
            )
            const sent = (yield* requestsSeen(ACTION)) - before
            const attempts = results.map((r) => r.attempts).sort((a, b) => a - b)
            const total = attempts.reduce((a, b) => a + b, 0)
            const byKind = failedAttempts.reduce<Record<string, number>>((acc, f) => {
              acc[f.error] = (acc[f.error] ?? 0) + 1
              return acc
            }, {})
            console.log(
              `[chaos ${variant.name}] fetches=${results.length} ok=${results.length} attempts total=${total} ` +
                `p50=${percentile(attempts, 50)} p99=${percentile(attempts, 99)} max=${attempts[attempts.length - 1]} ` +
                `failed attempts=${failedAttempts.length} (${((100 * failedAttempts.length) / total).toFixed(1)}%) ` +
                `by class=${JSON.stringify(byKind)} mock requests=${sent}`
            )
            expect(results.length).toBe(FETCHES)
            // an attempt cut by its timeout before its request left counts as an attempt the mock never saw
            expect(sent).toBeLessThanOrEqual(total)
            expect(sent).toBeGreaterThanOrEqual(FETCHES)
            expect(failedAttempts.length).toBe(total - FETCHES)
            // every failed attempt was followed by a retry (all fetches succeeded), and every one was retryable
            // (an interrupted attempt is one cut by the attempt timeout: a Transport timeout, retryable)
            expect(failedAttempts.every((f) => f.retryable || f.error === "Interrupted")).toBe(true)
            expect(Object.keys(byKind).sort()).toEqual(["Interrupted", "ProviderInternal", "Throttled", "Transport"])
            // roughly 30% of attempts failed
            expect(failedAttempts.length / total).toBeGreaterThan(0.25)
            expect(failedAttempts.length / total).toBeLessThan(0.4)
          }).pipe(
            Effect.provideService(RetryPolicy, {
              ...fastRetries,
              maxRetries: 14,
              attemptTimeout: Duration.millis(600),
              deadline: Duration.minutes(2)
            }),
            Effect.provideService(ThrottlePolicy, {
              ...defaultThrottlePolicy,
              requestsPerSecond: { tencent: 20, alibaba: 4000 }
            })
          ),
        120_000
      )
    }
  }
)
