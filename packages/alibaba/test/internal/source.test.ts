/**
 * The source over a scripted transport, on the TestClock: pacing shared by fibers and keyed per action,
 * retry-after honoured, attempt timeouts inside the retry, lazy credentials, pagination and filtering.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import type { AlibabaFetchRequest } from "@kubecred/core/FetchRequest"
import { ProviderInternal, Throttled } from "@kubecred/core/KubecredError"
import { defaultRetryPolicy, defaultThrottlePolicy, RetryPolicy, ThrottlePolicy } from "@kubecred/core/Policy"
import { endpointsOf, make, phaseOf } from "../../src/internal/source.js"
import type { AckTransport, ClustersInput } from "../../src/internal/transport.js"
import type { ClusterRow } from "../../src/internal/wire.js"

const kubeconfig = [
  "apiVersion: v1",
  "kind: Config",
  "clusters: [{name: kubernetes, cluster: {server: 'https://1.2.3.4:6443'}}]",
  "users: [{name: u, user: {token: abc}}]",
  "contexts: [{name: c, context: {cluster: kubernetes, user: u}}]",
  "current-context: c"
].join("\n")

const chain = {
  credentials: { accessKeyId: "AK", accessKeySecret: Redacted.make("secret") }
}

const request = (n = 0) =>
  ({
    _tag: "alibaba",
    region: "cn-hangzhou",
    clusterId: `c${String(n).padStart(32, "0")}`,
    endpoint: "public"
  }) as AlibabaFetchRequest

const row = (region: string, i: number): ClusterRow => ({
  cluster_id: `c${region}${i}`,
  name: `n-${i}`,
  region_id: region,
  state: "running",
  master_url: null
})

/** A transport recording when each attempt arrived; `fail(n)` decides the n-th kubeconfig attempt. */
const scripted = (
  fail: (n: number) => Effect.Effect<never, ProviderInternal | Throttled> | undefined = () => undefined
) =>
  Effect.gen(function* () {
    const times: Array<number> = []
    const listed: Array<ClustersInput> = []
    let n = 0
    const transport: AckTransport = {
      name: "http",
      ready: Effect.void,
      describeClusterUserKubeconfig: () =>
        Effect.gen(function* () {
          times.push(yield* Clock.currentTimeMillis)
          const failure = fail(n++)
          if (failure) return yield* failure
          return { value: { config: kubeconfig, expiration: "2030-01-01T00:00:00Z" }, requestId: `R${n}` }
        }),
      describeClustersV1: (input) =>
        Effect.gen(function* () {
          times.push(yield* Clock.currentTimeMillis)
          listed.push(input)
          const all = Array.from({ length: 250 }, (_, i) => row(input.region, i))
          const start = (input.pageNumber - 1) * input.pageSize
          return {
            value: {
              clusters: [...all.slice(start, start + input.pageSize), row("elsewhere-1", 0)],
              page_info: { page_number: input.pageNumber, page_size: input.pageSize, total_count: all.length }
            },
            requestId: undefined
          }
        })
    }
    return { transport, times, listed, calls: () => n }
  })

const throttle = { ...defaultThrottlePolicy, requestsPerSecond: { tencent: 20, alibaba: 10 }, headroom: 1 }
const retry = { ...defaultRetryPolicy, baseDelay: Duration.millis(100), maxDelay: Duration.seconds(1) }

describe("source", () => {
  it.effect("paces attempts 1/rate apart per account and action, shared by concurrent fibers", () =>
    Effect.gen(function* () {
      const { transport, times } = yield* scripted()
      const source = yield* make(transport, chain)
      const fiber = yield* Effect.fork(
        Effect.forEach([1, 2, 3, 4, 5], (n) => source.fetch(request(n)), { concurrency: "unbounded" })
      )
      yield* TestClock.adjust(Duration.seconds(1))
      const results = yield* Fiber.join(fiber)
      expect(results.map((r) => r.attempts)).toEqual([1, 1, 1, 1, 1])
      expect(times).toEqual([0, 100, 200, 300, 400])
    }).pipe(Effect.provideService(ThrottlePolicy, throttle))
  )

  it.effect("each action has its own pacer; headroom lowers the rate", () =>
    Effect.gen(function* () {
      const { transport, times } = yield* scripted()
      const source = yield* make(transport, chain)
      const fiber = yield* Effect.fork(
        Effect.all(
          [
            source.fetch(request(1)),
            source.fetch(request(2)),
            Stream.runCollect(source.listClusters({ regions: ["cn-hangzhou"], clusterIds: ["x"] }))
          ],
          { concurrency: "unbounded" }
        )
      )
      yield* TestClock.adjust(Duration.seconds(10))
      yield* Fiber.join(fiber)
      // fetches 200 ms apart (10/s at headroom 0.5); the listing's first page does not wait for them
      expect(times.slice(0, 3).sort((a, b) => a - b)).toEqual([0, 0, 200])
    }).pipe(Effect.provideService(ThrottlePolicy, { ...throttle, headroom: 0.5 }))
  )

  it.effect("a throttled attempt waits for retry-after, then succeeds", () =>
    Effect.gen(function* () {
      const { transport, times, calls } = yield* scripted((n) =>
        n === 0
          ? Effect.fail(
              new Throttled({
                provider: "alibaba",
                action: "DescribeClusterUserKubeconfig",
                detail: "slow",
                retryAfterMillis: 3000
              })
            )
          : undefined
      )
      const source = yield* make(transport, chain)
      const fiber = yield* Effect.fork(source.fetch(request()))
      yield* TestClock.adjust(Duration.millis(2999))
      expect(calls()).toBe(1)
      yield* TestClock.adjust(Duration.millis(1))
      const fetched = yield* Fiber.join(fiber)
      expect(fetched.attempts).toBe(2)
      expect(times).toEqual([0, 3000])
      expect(fetched.requestId).toBe("R2")
    }).pipe(Effect.provideService(ThrottlePolicy, throttle), Effect.provideService(RetryPolicy, retry))
  )

  it.effect("backoff grows between ProviderInternal retries; a hanging attempt is cut at attemptTimeout", () =>
    Effect.gen(function* () {
      const boom = new ProviderInternal({
        provider: "alibaba",
        action: "DescribeClusterUserKubeconfig",
        detail: "boom"
      })
      const { transport, times } = yield* scripted((n) =>
        n < 2 ? Effect.fail(boom) : n === 2 ? Effect.never : undefined
      )
      const source = yield* make(transport, chain)
      const fiber = yield* Effect.fork(source.fetch(request()))
      yield* TestClock.adjust(Duration.seconds(30))
      const fetched = yield* Fiber.join(fiber)
      expect(fetched.attempts).toBe(4)
      const gaps = times.slice(1).map((t, i) => t - times[i]!)
      expect(gaps[0]).toBeGreaterThanOrEqual(80) // ~100 ms, jittered
      expect(gaps[0]).toBeLessThanOrEqual(120)
      expect(gaps[1]).toBeGreaterThanOrEqual(160) // ~200 ms
      expect(gaps[2]).toBeGreaterThanOrEqual(2000) // the hang: attemptTimeout 2 s, then ~400 ms backoff
    }).pipe(
      Effect.provideService(ThrottlePolicy, throttle),
      Effect.provideService(RetryPolicy, { ...retry, attemptTimeout: Duration.seconds(2) })
    )
  )

  it.effect("credentials are resolved on first use, not at construction", () =>
    Effect.gen(function* () {
      const { transport, calls } = yield* scripted()
      const source = yield* make(transport, { env: {}, home: "/nonexistent-home" })
      const error = yield* Effect.flip(source.fetch(request()))
      expect(error._tag).toBe("CredentialsMissing")
      expect(calls()).toBe(0)
    })
  )

  it.effect("lists every page of every region, keeping only the requested region and ids", () =>
    Effect.gen(function* () {
      const { transport, listed } = yield* scripted()
      const source = yield* make(transport, chain)
      const fiber = yield* Effect.fork(
        Stream.runCollect(source.listClusters({ regions: ["cn-hangzhou", "cn-beijing"] }))
      )
      yield* TestClock.adjust(Duration.seconds(10))
      const rows = Chunk.toArray(yield* Fiber.join(fiber))
      expect(rows.length).toBe(500)
      expect(new Set(rows.map((r) => r.region))).toEqual(new Set(["cn-hangzhou", "cn-beijing"]))
      // regions are listed concurrently (the engine's REGION_CONCURRENCY): every page once, in any interleaving
      expect(listed.map((l) => `${l.region}:${l.pageNumber}:${l.pageSize}`).sort()).toEqual([
        "cn-beijing:1:100",
        "cn-beijing:2:100",
        "cn-beijing:3:100",
        "cn-hangzhou:1:100",
        "cn-hangzhou:2:100",
        "cn-hangzhou:3:100"
      ])
      const some = yield* Effect.fork(
        Stream.runCollect(
          source.listClusters({ regions: ["cn-hangzhou"], clusterIds: ["ccn-hangzhou3", "ccn-hangzhou7"] })
        )
      )
      yield* TestClock.adjust(Duration.seconds(10))
      expect(Chunk.toArray(yield* Fiber.join(some)).map((r) => r.clusterId)).toEqual(["ccn-hangzhou3", "ccn-hangzhou7"])
      const bad = yield* Effect.flip(Stream.runCollect(source.listClusters({ regions: ["Not A Region"] })))
      expect(bad).toMatchObject({ _tag: "InvalidInput", field: "region" })
    }).pipe(Effect.provideService(ThrottlePolicy, { ...throttle, requestsPerSecond: { tencent: 20, alibaba: 1000 } }))
  )

  it("state and master_url mapping", () => {
    expect(phaseOf("running")).toBe("running")
    expect(phaseOf("initial")).toBe("creating")
    expect(phaseOf("upgrading")).toBe("updating")
    expect(phaseOf("failed")).toBe("abnormal")
    expect(phaseOf("deleting")).toBe("deleting")
    expect(phaseOf("deleted")).toBe("deleted")
    expect(phaseOf("something-new")).toBe("other")
    expect(
      endpointsOf(
        '{"api_server_endpoint":"https://1.1.1.1:6443","intranet_api_server_endpoint":"https://10.0.0.1:6443"}'
      )
    ).toEqual({
      public: "https://1.1.1.1:6443",
      private: "https://10.0.0.1:6443"
    })
    expect(endpointsOf('{"api_server_endpoint":""}')).toEqual({})
    expect(endpointsOf("not json")).toEqual({})
  })
})
